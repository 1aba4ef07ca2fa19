package dev.tapedeck.correlation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One recorded exchange as the engine reads it: the request that was sent and the response that
 * came back, bodies as text (null when absent or not text). Each service maps its own entry type
 * onto it.
 *
 * @param entryId the entry's id
 * @param method the request method
 * @param url the absolute request URL
 * @param requestHeaders request headers in recorded order
 * @param requestBody the request body as text, or null
 * @param status the response status (0 when there was none)
 * @param responseHeaders response headers in recorded order
 * @param responseBody the response body as text, or null
 */
public record Step(
    String entryId,
    String method,
    String url,
    List<Header> requestHeaders,
    String requestBody,
    int status,
    List<Header> responseHeaders,
    String responseBody) {

  public Step {
    requestHeaders = requestHeaders == null ? List.of() : List.copyOf(requestHeaders);
    responseHeaders = responseHeaders == null ? List.of() : List.copyOf(responseHeaders);
  }

  /** One header line. */
  public record Header(String name, String value) {}

  /** The first value of request header {@code name} (any case). */
  public Optional<String> requestHeader(String name) {
    return first(requestHeaders, name);
  }

  /** The first value of response header {@code name} (any case). */
  public Optional<String> responseHeader(String name) {
    return first(responseHeaders, name);
  }

  static Optional<String> first(List<Header> headers, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return headers.stream()
        .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower))
        .map(Header::value)
        .findFirst();
  }
}
