package dev.tapedeck.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.correlation.Correlation.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The values a response hands out: every string and number of a JSON body, the values of headers
 * that are not about the transfer itself, and the value of every Set-Cookie.
 */
final class ResponseValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longer values are not correlated (a body, not a token). */
  static final int MAX_VALUE_LENGTH = 4096;

  // Headers that describe the message or the connection: never a value a client sends back.
  private static final Set<String> NOT_SOURCES =
      Set.of(
          "date", "content-length", "content-type", "content-encoding", "transfer-encoding",
          "connection", "keep-alive", "server", "vary", "cache-control", "expires", "last-modified",
          "age", "accept-ranges", "pragma", "set-cookie", "strict-transport-security", "x-powered-by",
          "access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods",
          "x-content-type-options", "x-frame-options", "content-security-policy", "alt-svc", "via");

  private ResponseValues() {}

  /** A value and where it is. */
  record Found(String value, Source source) {}

  static List<Found> of(Step step) {
    List<Found> out = new ArrayList<>();
    json(step.responseBody()).ifPresent(
        root ->
            JsonPaths.leaves(
                root,
                (path, node) -> {
                  if (node.isTextual() || node.isNumber()) {
                    out.add(new Found(node.asText(), new Source(step.entryId(), Source.JSON, path, null)));
                  }
                }));
    for (Step.Header h : step.responseHeaders()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (name.equals("set-cookie")) {
        cookie(h.value())
            .ifPresent(c -> out.add(new Found(c[1], new Source(step.entryId(), Source.SET_COOKIE, null, c[0]))));
      } else if (!NOT_SOURCES.contains(name) && !name.startsWith(":")) {
        out.add(new Found(h.value().trim(), new Source(step.entryId(), Source.HEADER, null, h.name())));
      }
    }
    out.removeIf(f -> f.value().isEmpty() || f.value().length() > MAX_VALUE_LENGTH);
    return out;
  }

  /** {@code [name, value]} of a Set-Cookie line. */
  static Optional<String[]> cookie(String setCookie) {
    String pair = setCookie.split(";", 2)[0];
    int equals = pair.indexOf('=');
    if (equals <= 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {pair.substring(0, equals).trim(), unquote(pair.substring(equals + 1).trim())});
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }

  static Optional<JsonNode> json(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.stripLeading();
    if (!t.startsWith("{") && !t.startsWith("[")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(t));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
