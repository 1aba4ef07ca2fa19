package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The mock formats the API takes, each turned into the WireMock 3 stub mapping the store holds and
 * the proxies serve:
 *
 * <ul>
 *   <li>Tapedeck's (and WireMock's): a stub mapping ({@code request}, {@code response}, {@code
 *       priority}, scenario fields) with {@code namespace}, {@code tags} and {@code enabled} beside;
 *   <li>mockd's: {@code {"type": "http", "name", "enabled", "priority", "http": {"matcher":
 *       {...}, "response": {...}}}}, or the bare {@code matcher} and {@code response}.
 * </ul>
 */
final class MockFormats {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Fields of Tapedeck's format kept outside the mapping. */
  static final List<String> OUTSIDE = List.of("namespace", "tags", "enabled", "chainId");

  private MockFormats() {}

  /** Whether {@code body} is in mockd's format. */
  static boolean isMockd(JsonNode body) {
    return body.has("http") || body.has("matcher") || body.has("type");
  }

  /** The stub mapping {@code body} describes, without Tapedeck's outside fields. */
  static ObjectNode mapping(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.validation(List.of(new FieldError("", "a mock is a JSON object")));
    }
    if (isMockd(body)) {
      return fromMockd(body);
    }
    ObjectNode mapping = ((ObjectNode) body).deepCopy();
    OUTSIDE.forEach(mapping::remove);
    return mapping;
  }

  private static ObjectNode fromMockd(JsonNode body) {
    String type = body.path("type").asText("http");
    if (!type.equals("http")) {
      throw ApiException.validation(
          List.of(new FieldError("type", "must be \"http\": proxies serve HTTP mocks only")));
    }
    JsonNode http = body.has("http") ? body.get("http") : body;
    JsonNode matcher = http.path("matcher");
    JsonNode response = http.path("response");
    if (!matcher.isObject() || !response.isObject()) {
      throw ApiException.validation(
          List.of(new FieldError(body.has("http") ? "http" : "matcher", "needs matcher and response objects")));
    }
    ObjectNode mapping = JSON.createObjectNode();
    if (body.has("id")) {
      mapping.set("id", body.get("id"));
    }
    if (body.has("name")) {
      mapping.set("name", body.get("name"));
    }
    if (body.has("priority")) {
      mapping.set("priority", body.get("priority"));
    }
    ObjectNode request = mapping.putObject("request");
    request.put("method", matcher.path("method").asText("ANY"));
    if (matcher.has("path")) {
      String path = matcher.get("path").asText();
      request.put(path.contains("{") ? "urlPathTemplate" : "urlPath", path);
    } else if (matcher.has("pathPattern")) {
      request.put("urlPathPattern", matcher.get("pathPattern").asText());
    }
    copyEquals(matcher.path("queryParams"), request.putObject("queryParameters"));
    copyEquals(matcher.path("headers"), request.putObject("headers"));
    if (request.get("queryParameters").isEmpty()) {
      request.remove("queryParameters");
    }
    if (request.get("headers").isEmpty()) {
      request.remove("headers");
    }
    if (matcher.has("bodyContains")) {
      request.putArray("bodyPatterns").addObject().put("contains", matcher.get("bodyContains").asText());
    } else if (matcher.has("bodyEquals")) {
      request.putArray("bodyPatterns").addObject().put("equalTo", matcher.get("bodyEquals").asText());
    } else if (matcher.has("bodyPattern")) {
      request.putArray("bodyPatterns").addObject().put("matches", matcher.get("bodyPattern").asText());
    }
    ObjectNode out = mapping.putObject("response");
    out.put("status", response.path("statusCode").asInt(200));
    if (response.has("headers")) {
      out.set("headers", response.get("headers"));
    }
    if (response.has("body")) {
      JsonNode b = response.get("body");
      out.put("body", b.isTextual() ? b.asText() : b.toString());
    }
    if (response.has("delayMs")) {
      out.put("fixedDelayMilliseconds", response.get("delayMs").asLong());
    }
    // mockd templates every response body.
    out.putArray("transformers").add("response-template");
    return mapping;
  }

  private static void copyEquals(JsonNode from, ObjectNode to) {
    if (!from.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      to.set(e.getKey(), e.getValue().isTextual() ? JSON.createObjectNode().put("equalTo", e.getValue().asText()) : e.getValue());
    }
  }
}
