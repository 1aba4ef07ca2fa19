package dev.tapedeck.policy.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A mock compiled from its WireMock 3 stub mapping, ready to match requests: {@code request}
 * ({@code method}, one of {@code url}, {@code urlPath}, {@code urlPathPattern}, {@code urlPattern},
 * {@code urlPathTemplate}, {@code queryParameters}, {@code headers}, {@code bodyPatterns}), {@code
 * response} ({@code status}, {@code headers}, {@code body} / {@code jsonBody} / {@code base64Body},
 * {@code fixedDelayMilliseconds}, {@code transformers: ["response-template"]}), {@code priority}
 * and the scenario fields ({@code scenarioName}, {@code requiredScenarioState}, {@code
 * newScenarioState}) that make a sequence. Fields this version does not serve are refused by name
 * rather than ignored.
 */
public final class CompiledMock {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The state every scenario starts in, as in WireMock. */
  public static final String STARTED = "Started";

  private final String id;
  private final String name;
  private final int priority;
  private final boolean enabled;
  private final String method;
  private final UrlMatch url;
  private final Map<String, ValueMatcher> query;
  private final Map<String, ValueMatcher> headers;
  private final List<BodyPattern> body;
  private final String scenario;
  private final String requiredState;
  private final String newState;
  private final int status;
  private final List<Map.Entry<String, String>> responseHeaders;
  private final byte[] responseBody;
  private final ResponseTemplate template;
  private final long delayMs;

  private CompiledMock(Builder b) {
    this.id = b.id;
    this.name = b.name;
    this.priority = b.priority;
    this.enabled = b.enabled;
    this.method = b.method;
    this.url = b.url;
    this.query = b.query;
    this.headers = b.headers;
    this.body = b.body;
    this.scenario = b.scenario;
    this.requiredState = b.requiredState;
    this.newState = b.newState;
    this.status = b.status;
    this.responseHeaders = b.responseHeaders;
    this.responseBody = b.responseBody;
    this.template = b.template;
    this.delayMs = b.delayMs;
  }

  /**
   * Compiles {@code definition} (a stub mapping).
   *
   * @throws InvalidMock naming the field at fault
   */
  public static CompiledMock compile(String id, int priority, boolean enabled, JsonNode definition) {
    if (definition == null || !definition.isObject()) {
      throw new InvalidMock("", "a mock is a JSON object with request and response");
    }
    Builder b = new Builder();
    b.id = id;
    b.name = definition.path("name").asText(id);
    b.priority = priority;
    b.enabled = enabled;
    JsonNode request = definition.path("request");
    if (!request.isObject()) {
      throw new InvalidMock("request", "is required: an object with method and url, urlPath, urlPathPattern, urlPattern or urlPathTemplate");
    }
    refuseUnknown(request, "request", List.of("method", "url", "urlPath", "urlPathPattern", "urlPattern",
        "urlPathTemplate", "queryParameters", "headers", "bodyPatterns", "pathParameters"));
    String m = request.path("method").asText("ANY").toUpperCase(Locale.ROOT);
    b.method = m.equals("ANY") ? null : m;
    b.url = UrlMatch.parse(request);
    b.query = matchers(request.path("queryParameters"), "request.queryParameters");
    b.headers = matchers(request.path("headers"), "request.headers");
    b.body = new ArrayList<>();
    JsonNode patterns = request.path("bodyPatterns");
    if (!patterns.isMissingNode()) {
      if (!patterns.isArray()) {
        throw new InvalidMock("request.bodyPatterns", "must be a list of body matchers");
      }
      for (int i = 0; i < patterns.size(); i++) {
        b.body.add(BodyPattern.parse(patterns.get(i), "request.bodyPatterns[" + i + "]"));
      }
    }
    b.scenario = text(definition, "scenarioName");
    b.requiredState = text(definition, "requiredScenarioState");
    b.newState = text(definition, "newScenarioState");
    if (b.scenario == null && (b.requiredState != null || b.newState != null)) {
      throw new InvalidMock("scenarioName", "is required with requiredScenarioState or newScenarioState");
    }
    JsonNode response = definition.path("response");
    if (!response.isObject()) {
      throw new InvalidMock("response", "is required: an object with status, headers and body");
    }
    refuseUnknown(response, "response", List.of("status", "statusMessage", "headers", "body", "jsonBody",
        "base64Body", "fixedDelayMilliseconds", "transformers", "transformerParameters"));
    b.status = response.path("status").asInt(200);
    if (b.status < 100 || b.status > 599) {
      throw new InvalidMock("response.status", "must be between 100 and 599");
    }
    b.responseHeaders = new ArrayList<>();
    JsonNode hs = response.path("headers");
    if (!hs.isMissingNode()) {
      if (!hs.isObject()) {
        throw new InvalidMock("response.headers", "must be an object of names to a value or a list of values");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = hs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> h = it.next();
        if (h.getValue().isArray()) {
          h.getValue().forEach(v -> b.responseHeaders.add(Map.entry(h.getKey(), v.asText())));
        } else {
          b.responseHeaders.add(Map.entry(h.getKey(), h.getValue().asText()));
        }
      }
      for (Map.Entry<String, String> h : b.responseHeaders) {
        if (h.getKey().isEmpty() || h.getValue().indexOf('\n') >= 0 || h.getValue().indexOf('\r') >= 0) {
          throw new InvalidMock("response.headers." + h.getKey(), "must be a header name with a value without line breaks");
        }
      }
    }
    String text = null;
    if (response.has("jsonBody")) {
      text = response.get("jsonBody").toString();
    } else if (response.has("body")) {
      text = response.get("body").asText();
    }
    if (response.has("base64Body")) {
      try {
        b.responseBody = Base64.getDecoder().decode(response.get("base64Body").asText());
      } catch (IllegalArgumentException e) {
        throw new InvalidMock("response.base64Body", "is not base64");
      }
    } else {
      b.responseBody = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
    boolean templated = false;
    for (JsonNode t : response.path("transformers")) {
      if (t.asText().equals("response-template")) {
        templated = true;
      }
    }
    if (templated && text != null) {
      b.template = ResponseTemplate.compile(text, response.has("jsonBody") ? "response.jsonBody" : "response.body");
    }
    b.delayMs = response.path("fixedDelayMilliseconds").asLong(0);
    if (b.delayMs < 0 || b.delayMs > 600_000) {
      throw new InvalidMock("response.fixedDelayMilliseconds", "must be between 0 and 600000");
    }
    return new CompiledMock(b);
  }

  private static void refuseUnknown(JsonNode node, String field, List<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new InvalidMock(field + "." + name, "is not a field mocks serve (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, ValueMatcher> matchers(JsonNode node, String field) {
    Map<String, ValueMatcher> result = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      throw new InvalidMock(field, "must be an object of names to matchers");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      result.put(e.getKey(), ValueMatcher.parse(e.getValue(), field + "." + e.getKey()));
    }
    return result;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int priority() {
    return priority;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The method matched; null for any. */
  public String method() {
    return method;
  }

  public String scenario() {
    return scenario;
  }

  public String requiredState() {
    return requiredState;
  }

  public String newState() {
    return newState;
  }

  public boolean hasBodyConditions() {
    return !body.isEmpty();
  }

  /** The one path a request this mock answers has, or null when its URL condition allows several. */
  String exactPath() {
    return url.exactPath();
  }

  /** Whether the method, URL, query and headers match (the request head). */
  public boolean matchesHead(MockRequest r) {
    if (method != null && !method.equals(r.method())) {
      return false;
    }
    if (!url.matches(r)) {
      return false;
    }
    for (Map.Entry<String, ValueMatcher> q : query.entrySet()) {
      if (!q.getValue().matches(r.queryValues(q.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, ValueMatcher> h : headers.entrySet()) {
      if (!h.getValue().matches(r.header(h.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the body conditions hold; a body not read matches none. */
  public boolean matchesBody(MockRequest r) {
    if (body.isEmpty()) {
      return true;
    }
    if (r.body() == null) {
      return false;
    }
    String text = r.bodyText();
    for (BodyPattern p : body) {
      if (!p.matches(r.body(), text)) {
        return false;
      }
    }
    return true;
  }

  /** Every way the request differs from what this mock asks for (the scenario state aside). */
  public List<Mismatch> mismatches(MockRequest r) {
    List<Mismatch> out = new ArrayList<>();
    if (method != null && !method.equals(r.method())) {
      out.add(new Mismatch("method", method, r.method()));
    }
    if (!url.matches(r)) {
      out.add(new Mismatch("path", url.describe(), url.queryPart() ? r.url() : r.path()));
    }
    for (Map.Entry<String, ValueMatcher> q : query.entrySet()) {
      List<String> values = r.queryValues(q.getKey());
      if (!q.getValue().matches(values)) {
        out.add(new Mismatch("query." + q.getKey(), q.getValue().describe(), values.isEmpty() ? "(absent)" : String.join(", ", values)));
      }
    }
    for (Map.Entry<String, ValueMatcher> h : headers.entrySet()) {
      List<String> values = r.header(h.getKey());
      if (!h.getValue().matches(values)) {
        out.add(new Mismatch("header." + h.getKey(), h.getValue().describe(), values.isEmpty() ? "(absent)" : String.join(", ", values)));
      }
    }
    if (!body.isEmpty() && r.body() != null) {
      String text = r.bodyText();
      for (BodyPattern p : body) {
        if (!p.matches(r.body(), text)) {
          out.add(new Mismatch("body", p.describe(), BodyPattern.abbreviate(text)));
        }
      }
    }
    return out;
  }

  public int status() {
    return status;
  }

  public List<Map.Entry<String, String>> responseHeaders() {
    return responseHeaders;
  }

  /** The response body for {@code r}: the template rendered, or the stored bytes. */
  public byte[] responseBody(MockRequest r) {
    return template == null ? responseBody : template.render(r).getBytes(StandardCharsets.UTF_8);
  }

  public long delayMs() {
    return delayMs;
  }

  private static final class Builder {
    String id;
    String name;
    int priority;
    boolean enabled;
    String method;
    UrlMatch url;
    Map<String, ValueMatcher> query;
    Map<String, ValueMatcher> headers;
    List<BodyPattern> body;
    String scenario;
    String requiredState;
    String newState;
    int status;
    List<Map.Entry<String, String>> responseHeaders;
    byte[] responseBody;
    ResponseTemplate template;
    long delayMs;
  }

  /** The URL condition of a mock. */
  abstract static class UrlMatch {
    abstract boolean matches(MockRequest r);

    abstract String describe();

    /** Whether the condition covers the query too ({@code url}, {@code urlPattern}). */
    boolean queryPart() {
      return false;
    }

    /** The one path a matching request has ({@code url}, {@code urlPath}), or null when it may vary. */
    String exactPath() {
      return null;
    }

    static UrlMatch parse(JsonNode request) {
      int given = 0;
      for (String f : List.of("url", "urlPath", "urlPathPattern", "urlPattern", "urlPathTemplate")) {
        if (request.has(f)) {
          given++;
        }
      }
      if (given > 1) {
        throw new InvalidMock("request.url", "give one of url, urlPath, urlPathPattern, urlPattern, urlPathTemplate");
      }
      if (request.has("url")) {
        String url = request.get("url").asText();
        return new UrlMatch() {
          boolean matches(MockRequest r) {
            return r.url().equals(url);
          }

          String describe() {
            return url;
          }

          @Override
          boolean queryPart() {
            return true;
          }

          @Override
          String exactPath() {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
          }
        };
      }
      if (request.has("urlPath")) {
        String path = request.get("urlPath").asText();
        return new UrlMatch() {
          boolean matches(MockRequest r) {
            return r.path().equals(path);
          }

          String describe() {
            return path;
          }

          @Override
          String exactPath() {
            return path;
          }
        };
      }
      if (request.has("urlPathPattern") || request.has("urlPattern")) {
        boolean whole = request.has("urlPattern");
        String field = whole ? "urlPattern" : "urlPathPattern";
        Pattern p = ValueMatcher.regex(request.get(field).asText(), "request." + field);
        return new UrlMatch() {
          boolean matches(MockRequest r) {
            return p.matcher(whole ? r.url() : r.path()).matches();
          }

          String describe() {
            return "matches " + p.pattern();
          }

          @Override
          boolean queryPart() {
            return whole;
          }
        };
      }
      if (request.has("urlPathTemplate")) {
        String template = request.get("urlPathTemplate").asText();
        String[] segments = template.split("/", -1);
        return new UrlMatch() {
          boolean matches(MockRequest r) {
            String[] actual = r.path().split("/", -1);
            if (actual.length != segments.length) {
              return false;
            }
            for (int i = 0; i < segments.length; i++) {
              String s = segments[i];
              boolean parameter = s.startsWith("{") && s.endsWith("}");
              if (parameter ? actual[i].isEmpty() : !s.equals(actual[i])) {
                return false;
              }
            }
            return true;
          }

          String describe() {
            return template;
          }
        };
      }
      return new UrlMatch() {
        boolean matches(MockRequest r) {
          return true;
        }

        String describe() {
          return "any URL";
        }
      };
    }
  }

  /** For tests: the definition as JSON text. */
  static JsonNode json(String text) throws java.io.IOException {
    return JSON.readTree(text);
  }
}
