package dev.tapedeck.converter.export.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.schema.JsonShape;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.Locale;

/**
 * The data the scripts embed, built with Jackson: JSON is a JavaScript expression, so a request or
 * an expectation is written as a JSON literal and no value is ever escaped by hand.
 */
public final class ScriptJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScriptJson() {}

  /** {@code value} as a JavaScript literal. */
  public static String literal(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  /**
   * The request to send: {@code method}, {@code origin} (the variable), {@code path}, {@code
   * headers} (one value per name, repeated ones joined), {@code body} (text, base64 when {@code
   * base64} is true, or null).
   */
  public static ObjectNode request(Exchange exchange, String originVariable) {
    ObjectNode request = JSON.createObjectNode();
    request.put("method", exchange.method());
    request.put("origin", originVariable);
    request.put("path", ScriptRequests.pathAndQuery(exchange));
    ObjectNode headers = request.putObject("headers");
    for (Header header : ScriptRequests.headers(exchange)) {
      String name = header.getName();
      String separator = name.toLowerCase(Locale.ROOT).equals("cookie") ? "; " : ", ";
      headers.put(
          name,
          headers.has(name)
              ? headers.get(name).asText() + separator + header.getValue()
              : header.getValue());
    }
    Content body = exchange.requestBody();
    if (body.isEmpty()) {
      request.putNull("body");
    } else {
      request.put("body", body.text());
      request.put("base64", body.base64());
    }
    return request;
  }

  /** What the response must be: {@code status}, and {@code schema} for a JSON body (else null). */
  public static ObjectNode expected(Exchange exchange) {
    ObjectNode expected = JSON.createObjectNode();
    expected.put("status", exchange.status());
    exchange
        .responseBody()
        .json()
        .ifPresentOrElse(
            json -> expected.set("schema", JsonShape.of(json).toSchema(false)),
            () -> expected.putNull("schema"));
    return expected;
  }
}
