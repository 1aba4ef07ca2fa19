package dev.tapedeck.converter.export.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Writes one {@link OpenApiOperation} as an OpenAPI 3.1 Operation Object. */
final class OpenApiOperations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(204, "No Content"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(304, "Not Modified"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(409, "Conflict"),
          Map.entry(422, "Unprocessable Content"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"));

  private OpenApiOperations() {}

  /** Whether OpenAPI has a Path Item field for the method (lower case). */
  static boolean isOpenApiMethod(String method) {
    return METHODS.contains(method);
  }

  static ObjectNode render(OpenApiOperation operation, Set<String> operationIds) {
    ObjectNode node = NODES.objectNode();
    node.put("operationId", operationId(operation, operationIds));
    node.put("summary", operation.method + " " + operation.template.template());
    ArrayNode parameters = NODES.arrayNode();
    operation.pathParameters.forEach((name, p) -> parameters.add(parameter(name, "path", true, p)));
    operation.queryParameters.forEach(
        (name, p) -> parameters.add(parameter(name, "query", p.count == operation.samples, p)));
    operation.headerParameters.forEach(
        (name, p) -> parameters.add(parameter(name, "header", p.count == operation.samples, p)));
    if (!parameters.isEmpty()) {
      node.set("parameters", parameters);
    }
    if (!operation.requestBodies.isEmpty()) {
      ObjectNode body = node.putObject("requestBody");
      body.put("required", true);
      body.set("content", content(operation.requestBodies));
    }
    ObjectNode responses = node.putObject("responses");
    operation.responses.forEach(
        (status, bodies) -> {
          ObjectNode response = responses.putObject(String.valueOf(status));
          response.put("description", REASONS.getOrDefault(status, "Status " + status));
          if (!bodies.isEmpty()) {
            response.set("content", content(bodies));
          }
        });
    if (!operation.security.isEmpty()) {
      ArrayNode security = node.putArray("security");
      operation.security.forEach(scheme -> security.addObject().putArray(scheme));
    }
    return node;
  }

  private static ObjectNode parameter(
      String name, String in, boolean required, OpenApiOperation.Parameter parameter) {
    ObjectNode node = NODES.objectNode();
    node.put("name", name);
    node.put("in", in);
    node.put("required", required);
    node.set("schema", parameter.shape.toSchema(true));
    node.set("example", parameter.example);
    return node;
  }

  private static ObjectNode content(Map<String, OpenApiOperation.Body> bodies) {
    ObjectNode content = NODES.objectNode();
    bodies.forEach(
        (mediaType, body) -> {
          ObjectNode media = content.putObject(mediaType);
          if (body.shape != null) {
            media.set("schema", body.shape.toSchema(true));
          } else if (body.binary) {
            media.putObject("schema").put("type", "string").put("contentEncoding", "base64");
          } else {
            media.putObject("schema").put("type", "string");
          }
          if (body.example != null) {
            media.set("example", body.example);
          }
        });
    return content;
  }

  private static String operationId(OpenApiOperation operation, Set<String> taken) {
    StringBuilder id = new StringBuilder(operation.method.toLowerCase(Locale.ROOT));
    for (String segment : operation.template.template().split("/")) {
      String words = segment.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", " ").trim();
      boolean parameter = segment.startsWith("{");
      if (words.isEmpty()) {
        continue;
      }
      if (parameter) {
        id.append("By");
      }
      for (String word : words.split(" ")) {
        id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    String unique = id.toString();
    for (int n = 2; !taken.add(unique); n++) {
      unique = id + "_" + n;
    }
    return unique;
  }
}
