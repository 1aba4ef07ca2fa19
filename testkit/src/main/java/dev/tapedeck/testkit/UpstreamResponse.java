package dev.tapedeck.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link UpstreamServer} route answers: status, headers, body, and an optional delay before
 * answering. Immutable; the {@code with...} methods return copies.
 *
 * @param status the status code
 * @param headers response headers
 * @param body the body bytes
 * @param delay how long to wait before sending the response
 */
public record UpstreamResponse(
    int status, Map<String, List<String>> headers, byte[] body, Duration delay) {

  /** Copies the headers and body. */
  public UpstreamResponse {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
    body = body.clone();
  }

  /** The body bytes (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** {@code status} with no body. */
  public static UpstreamResponse status(int status) {
    return new UpstreamResponse(status, Map.of(), new byte[0], Duration.ZERO);
  }

  /** {@code status} with a JSON body ({@code application/json}). */
  public static UpstreamResponse json(int status, String json) {
    return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code status} with a text body ({@code text/plain; charset=utf-8}). */
  public static UpstreamResponse text(int status, String text) {
    return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code status} with {@code body} of type {@code contentType}. */
  public static UpstreamResponse bytes(int status, String contentType, byte[] body) {
    return new UpstreamResponse(
        status, Map.of("Content-Type", List.of(contentType)), body, Duration.ZERO);
  }

  /** A copy with header {@code name} added (after any values it already has). */
  public UpstreamResponse withHeader(String name, String value) {
    Map<String, List<String>> copy = new LinkedHashMap<>(headers);
    List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
    values.add(value);
    copy.put(name, values);
    return new UpstreamResponse(status, copy, body, delay);
  }

  /** A copy that waits {@code delay} before answering (for timeout and latency tests). */
  public UpstreamResponse withDelay(Duration delay) {
    return new UpstreamResponse(status, headers, body, delay);
  }
}
