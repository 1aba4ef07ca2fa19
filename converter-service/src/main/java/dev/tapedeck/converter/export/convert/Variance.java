package dev.tapedeck.converter.export.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Pattern;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What stays the same across the samples of one route and what varies: query parameters, the
 * request headers worth matching, and the leaves of JSON request bodies. Constant parts are matched
 * exactly; varying ones loosely (present, any value).
 */
public final class Variance {

  /** The value standing for a JSON leaf that varies (WireMock's JsonUnit placeholder). */
  public static final String ANY = "${json-unit.ignore}";

  // Headers that say something about the API call rather than about the client or the transport.
  // Accept is left out: clients of one API differ in it without meaning anything else.
  private static final Set<String> MATCHABLE = Set.of("content-type");
  private static final Pattern NOISE =
      Pattern.compile(
          "(?i)x-(request|correlation|trace|amzn-trace|b3|forwarded|real|client)[-a-z0-9]*"
              + "|x-b3-.*|traceparent|tracestate");

  private Variance() {}

  /**
   * The query parameters of the samples: a name present in every sample with one value is constant
   * (its value); present in every sample with different values, it varies (empty Optional); present
   * in only some samples, it is left out. A redacted value varies: the mock cannot know the secret.
   */
  public static Map<String, Optional<String>> query(List<Exchange> samples) {
    Map<String, Optional<String>> query =
        common(samples.stream().map(s -> toMap(s.url().query())).toList());
    query.replaceAll((name, value) -> value.filter(v -> !v.contains(Redactor.MARKER)));
    return query;
  }

  /**
   * The request headers worth matching ({@code Content-Type} and the application's own {@code X-}
   * headers, never secrets or tracing ids), constant or varying as for {@link #query}. Needs two
   * samples: one sample says nothing about what a client may change.
   */
  public static Map<String, Optional<String>> headers(List<Exchange> samples) {
    if (samples.size() < 2) {
      return Map.of();
    }
    Map<String, Optional<String>> headers =
        common(samples.stream().map(s -> headerMap(s.requestHeaders())).toList());
    headers
        .entrySet()
        .removeIf(e -> e.getValue().map(v -> v.contains(Redactor.MARKER)).orElse(false));
    return headers;
  }

  /**
   * The JSON request bodies merged: leaves equal in every sample stay, differing leaves become
   * {@link #ANY}, object members missing from some sample are dropped (and {@code loose} set), and
   * arrays of different lengths become {@link #ANY}. Empty when a sample has no JSON body.
   */
  public static Optional<MergedJson> jsonBody(List<Exchange> samples) {
    JsonNode merged = null;
    boolean[] loose = {false};
    for (Exchange sample : samples) {
      Optional<JsonNode> json = sample.requestBody().json();
      if (json.isEmpty()) {
        return Optional.empty();
      }
      merged = merged == null ? json.get().deepCopy() : merge(merged, json.get(), loose);
    }
    return merged == null ? Optional.empty() : Optional.of(new MergedJson(merged, loose[0]));
  }

  private static JsonNode merge(JsonNode a, JsonNode b, boolean[] loose) {
    if (a.equals(b)) {
      return a;
    }
    if (a.isObject() && b.isObject()) {
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode other = b.get(field.getKey());
        if (other == null) {
          loose[0] = true;
        } else {
          merged.set(field.getKey(), merge(field.getValue(), other, loose));
        }
      }
      if (b.size() > merged.size()) {
        loose[0] = true;
      }
      return merged;
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      ArrayNode merged = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < a.size(); i++) {
        merged.add(merge(a.get(i), b.get(i), loose));
      }
      return merged;
    }
    return TextNode.valueOf(ANY);
  }

  /**
   * Whether a request header belongs to the application's API ({@code X-Tenant}, {@code
   * X-Api-Version}) rather than to the client, the transport or tracing, and is no secret.
   */
  public static boolean isApplicationHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.startsWith("x-")
        && !NOISE.matcher(lower).matches()
        && !Redactor.isSecretHeader(lower);
  }

  private static Map<String, Optional<String>> common(List<Map<String, String>> samples) {
    Map<String, Optional<String>> result = new LinkedHashMap<>();
    if (samples.isEmpty()) {
      return result;
    }
    samples
        .get(0)
        .forEach(
            (name, value) -> {
              boolean everywhere = samples.stream().allMatch(s -> s.containsKey(name));
              if (everywhere) {
                boolean same = samples.stream().allMatch(s -> s.get(name).equals(value));
                result.put(name, same ? Optional.of(value) : Optional.empty());
              }
            });
    return result;
  }

  private static Map<String, String> toMap(List<RequestUrl.QueryParam> params) {
    Map<String, String> map = new LinkedHashMap<>();
    // A repeated parameter is compared by all its values together.
    params.forEach(p -> map.merge(p.name(), p.value(), (a, b) -> a + "\u0000" + b));
    return map;
  }

  private static Map<String, String> headerMap(List<Header> headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Header header : headers) {
      String name = header.getName().toLowerCase(Locale.ROOT);
      if (MATCHABLE.contains(name) || isApplicationHeader(name)) {
        map.merge(name, header.getValue(), (a, b) -> a + ", " + b);
      }
    }
    return map;
  }

  /**
   * JSON bodies merged.
   *
   * @param json the merged tree, {@link #ANY} where samples differ
   * @param loose whether some member was dropped, so extra members must be allowed
   */
  public record MergedJson(JsonNode json, boolean loose) {}
}
