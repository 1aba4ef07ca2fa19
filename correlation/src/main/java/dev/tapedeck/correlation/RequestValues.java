package dev.tapedeck.correlation;

import dev.tapedeck.correlation.Correlation.Target;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values a request sends, each with where it is: path segments and query values of the URL,
 * header values (whole, and their words: the token of {@code Bearer <token>}), cookies, the
 * strings and numbers of a JSON body and the fields of a form body.
 */
final class RequestValues {
  // Headers a client sets itself, never from an earlier response.
  private static final Set<String> NOT_TARGETS =
      Set.of(
          "host", "content-length", "content-type", "accept", "accept-encoding", "accept-language",
          "user-agent", "connection", "cookie", "origin", "referer", "te", "transfer-encoding");
  private static final Pattern WORDS = Pattern.compile("[\\s,;]+");

  private RequestValues() {}

  /** A value and where it is sent. */
  record Sent(String value, Target target) {}

  static List<Sent> of(Step step) {
    List<Sent> out = new ArrayList<>();
    String id = step.entryId();
    url(step, out);
    for (Step.Header h : step.requestHeaders()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        for (String pair : h.value().split(";")) {
          int equals = pair.indexOf('=');
          if (equals > 0) {
            out.add(new Sent(pair.substring(equals + 1).trim(), new Target(id, "cookie", pair.substring(0, equals).trim())));
          }
        }
      } else if (!NOT_TARGETS.contains(name) && !name.startsWith(":")) {
        Target t = new Target(id, "header", h.name());
        out.add(new Sent(h.value().trim(), t));
        for (String word : WORDS.split(h.value().trim())) {
          out.add(new Sent(word, t));
        }
      }
    }
    body(step, out);
    return out;
  }

  private static void url(Step step, List<Sent> out) {
    URI uri;
    try {
      uri = URI.create(step.url());
    } catch (IllegalArgumentException e) {
      return;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String[] segments = path.split("/");
    for (int i = 0; i < segments.length; i++) {
      if (!segments[i].isEmpty()) {
        out.add(new Sent(decode(segments[i]), new Target(step.entryId(), "url", "/" + i)));
      }
    }
    form(uri.getRawQuery(), step.entryId(), "query", out);
  }

  private static void body(Step step, List<Sent> out) {
    String body = step.requestBody();
    if (body == null || body.isEmpty()) {
      return;
    }
    var json = ResponseValues.json(body);
    if (json.isPresent()) {
      JsonPaths.leaves(
          json.get(),
          (path, node) -> {
            if (node.isTextual() || node.isNumber()) {
              out.add(new Sent(node.asText(), new Target(step.entryId(), "body", path)));
            }
          });
      return;
    }
    String type = step.requestHeader("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith("application/x-www-form-urlencoded")) {
      form(body, step.entryId(), "form", out);
    }
  }

  private static void form(String raw, String entryId, String section, List<Sent> out) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        out.add(new Sent(decode(pair.substring(equals + 1)), new Target(entryId, section, decode(pair.substring(0, equals)))));
      }
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
