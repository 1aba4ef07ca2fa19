package dev.tapedeck.converter.export.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.re2j.Pattern;
import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.PathTemplate;
import dev.tapedeck.converter.export.convert.RequestUrl;
import dev.tapedeck.converter.export.convert.Variance;
import dev.tapedeck.converter.export.schema.JsonShape;
import dev.tapedeck.proto.capture.v1.Header;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the samples of one method on one path template say about the operation: its parameters,
 * request bodies and responses, folded in one exchange at a time. Keeps shapes and one example per
 * body, never the samples.
 */
final class OpenApiOperation {

  /** Bodies larger than this are described but not given as examples. */
  static final int MAX_EXAMPLE_CHARS = 16 * 1024;

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");

  final String method;
  final PathTemplate template;
  int samples;
  final Map<String, Parameter> pathParameters = new LinkedHashMap<>();
  final Map<String, Parameter> queryParameters = new LinkedHashMap<>();
  final Map<String, Parameter> headerParameters = new LinkedHashMap<>();
  final Map<String, Body> requestBodies = new LinkedHashMap<>();
  final Map<Integer, Map<String, Body>> responses = new TreeMap<>();
  final Set<String> security = new LinkedHashSet<>();

  OpenApiOperation(String method, PathTemplate template) {
    this.method = method;
    this.template = template;
  }

  void add(Exchange exchange) {
    samples++;
    List<String> values = template.values(exchange.url().path());
    for (int i = 0; i < values.size() && i < template.parameters().size(); i++) {
      pathParameters
          .computeIfAbsent(template.parameters().get(i), k -> new Parameter())
          .add(values.get(i));
    }
    Set<String> seen = new LinkedHashSet<>();
    for (RequestUrl.QueryParam param : exchange.url().query()) {
      if (seen.add(param.name())) {
        queryParameters.computeIfAbsent(param.name(), k -> new Parameter()).add(param.value());
      }
    }
    seen.clear();
    for (Header header : exchange.requestHeaders()) {
      String name = header.getName().toLowerCase(Locale.ROOT);
      if (Variance.isApplicationHeader(name) && seen.add(name)) {
        headerParameters
            .computeIfAbsent(header.getName(), k -> new Parameter())
            .add(header.getValue());
      }
    }
    exchange.requestHeader("Authorization").ifPresent(this::addSecurity);
    if (!exchange.requestBody().isEmpty()) {
      requestBodies
          .computeIfAbsent(mediaType(exchange.requestBody()), k -> new Body())
          .add(exchange.requestBody());
    }
    Map<String, Body> bodies =
        responses.computeIfAbsent(exchange.status(), k -> new LinkedHashMap<>());
    if (!exchange.responseBody().isEmpty()) {
      bodies
          .computeIfAbsent(mediaType(exchange.responseBody()), k -> new Body())
          .add(exchange.responseBody());
    }
  }

  private void addSecurity(String authorization) {
    String scheme = authorization.trim().split(" ", 2)[0].toLowerCase(Locale.ROOT);
    if (scheme.equals("bearer")) {
      security.add("bearerAuth");
    } else if (scheme.equals("basic")) {
      security.add("basicAuth");
    }
  }

  private static String mediaType(Content content) {
    if (!content.mimeType().isEmpty()) {
      return content.mimeType();
    }
    return content.mayBeJson() ? "application/json" : "application/octet-stream";
  }

  /** A query, header or path parameter: the shape of its values and its first value. */
  static final class Parameter {
    final JsonShape shape = new JsonShape();
    JsonNode example;
    int count;

    void add(String value) {
      JsonNode typed = typed(value);
      shape.add(typed);
      if (example == null) {
        example = typed;
      }
      count++;
    }

    private static JsonNode typed(String value) {
      if (INTEGER.matcher(value).matches()) {
        return LongNode.valueOf(Long.parseLong(value));
      }
      if (DECIMAL.matcher(value).matches()) {
        return DecimalNode.valueOf(new BigDecimal(value));
      }
      if (value.equals("true") || value.equals("false")) {
        return BooleanNode.valueOf(Boolean.parseBoolean(value));
      }
      return TextNode.valueOf(value);
    }
  }

  /** The bodies of one media type: their JSON shape, or the fact that they are text or binary. */
  static final class Body {
    JsonShape shape;
    boolean binary;
    JsonNode example;

    void add(Content content) {
      Optional<JsonNode> json = content.json();
      if (json.isPresent()) {
        if (shape == null) {
          shape = new JsonShape();
        }
        shape.add(json.get());
        if (example == null && content.text().length() <= MAX_EXAMPLE_CHARS) {
          example = json.get();
        }
        return;
      }
      binary |= content.base64();
      if (example == null && !content.base64() && content.text().length() <= MAX_EXAMPLE_CHARS) {
        example = JsonNodeFactory.instance.textNode(content.text());
      }
    }
  }
}
