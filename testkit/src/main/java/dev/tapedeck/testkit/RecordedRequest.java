package dev.tapedeck.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as an {@link UpstreamServer} received it.
 *
 * @param method the method, e.g. {@code GET}
 * @param pathAndQuery the raw path with its query string, e.g. {@code /hello?name=x}
 * @param headers the headers, names as the JDK server normalises them (first letter upper case)
 * @param body the body bytes (empty if none)
 */
public record RecordedRequest(
    String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {

  /** Copies the maps and the body so the record cannot change. */
  public RecordedRequest {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /** The body bytes (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The path without the query string. */
  public String path() {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  /** The first value of header {@code name}, matched case-insensitively. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
        .map(e -> e.getValue().get(0))
        .findFirst();
  }

  @Override
  public String toString() {
    return method + " " + pathAndQuery + " (" + body.length + " body bytes)";
  }
}
