package dev.tapedeck.converter.export.collection;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.converter.export.script.RequestDocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.CollectionProtocol;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.schema.JsonShape;
import dev.tapedeck.converter.export.script.Origins;
import dev.tapedeck.converter.export.script.ScriptRequests;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Writes {@code export-collection}, the Mockarty reference's "API Tester collection", as a JSON
 * document Tapedeck defines ({@code docs/exports.md}): the collection's name and protocol, its
 * {@code {{baseUrl}}} variables, and the recorded requests in order. The {@code protocol} option
 * decides what each request carries besides itself:
 *
 * <ul>
 *   <li>{@code http}: nothing; a collection to send by hand;
 *   <li>{@code tests}: {@code assertions} on the status and, for JSON, the body's JSON Schema;
 *   <li>{@code performance}: {@code thinkTimeMs} before the request (the recorded gap) and, at the
 *       top, a {@code load} profile to edit.
 * </ul>
 */
public final class ApiTesterCollectionWriter extends RequestDocumentWriter<JsonGenerator> {

  /** The media type of the collection. */
  public static final String CONTENT_TYPE = "application/json";

  /** The file extension. */
  public static final String EXTENSION = ".collection.json";

  /** The value of the document's {@code format} field. */
  public static final String FORMAT = "tapedeck.api-tester-collection/1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private long previousEndMicros = -1;

  public ApiTesterCollectionWriter(
      OutputStream out, ExportSession session, ConversionOptions options) throws IOException {
    super(
        session,
        options,
        Origins.collectionVariables(options.baseUrl()),
        generator(JSON.getFactory(), out, true));
  }

  @Override
  protected void writeRequest(Exchange exchange) throws IOException {
    JSON.writeTree(out, request(exchange));
  }

  @Override
  protected void writeHead() throws IOException {
    out.writeStartObject();
    out.writeStringField("format", FORMAT);
    out.writeStringField("name", options.nameOr(session.title()));
    out.writeStringField("protocol", options.protocol().name().toLowerCase(Locale.ROOT));
    out.writeObjectFieldStart("source");
    out.writeStringField("tool", "tapedeck");
    out.writeStringField("version", session.creatorVersion());
    out.writeStringField("sessionId", session.sessionId());
    out.writeEndObject();
    if (options.protocol() == CollectionProtocol.PERFORMANCE) {
      out.writeObjectFieldStart("load");
      out.writeNumberField("virtualUsers", 1);
      out.writeNumberField("iterations", 1);
      out.writeEndObject();
    }
    out.writeArrayFieldStart("requests");
  }

  private ObjectNode request(Exchange exchange) {
    ObjectNode request = JSON.createObjectNode();
    request.put("name", ScriptRequests.name(exchange));
    if (options.protocol() == CollectionProtocol.PERFORMANCE) {
      long think =
          previousEndMicros < 0
              ? 0
              : Math.max(0, (exchange.startedAtMicros() - previousEndMicros) / 1000);
      request.put("thinkTimeMs", think);
      previousEndMicros =
          exchange.startedAtMicros() + Math.max(0, Math.round(exchange.durationMs() * 1000));
    }
    request.put("method", exchange.method());
    String variable = origins.variableFor(exchange.url().origin());
    request.put("url", "{{" + variable + "}}" + ScriptRequests.pathAndQuery(exchange));
    ArrayNode headers = request.putArray("headers");
    for (Header header : ScriptRequests.headers(exchange)) {
      headers.addObject().put("name", header.getName()).put("value", header.getValue());
    }
    if (!exchange.requestBody().isEmpty()) {
      ObjectNode body = request.putObject("body");
      body.put("mimeType", exchange.requestBody().mimeType());
      body.put("encoding", exchange.requestBody().base64() ? "base64" : "text");
      body.put("content", exchange.requestBody().text());
    }
    if (options.protocol() == CollectionProtocol.TESTS) {
      ArrayNode assertions = request.putArray("assertions");
      assertions.addObject().put("type", "status").put("equals", exchange.status());
      exchange
          .responseBody()
          .json()
          .ifPresent(
              json ->
                  assertions
                      .addObject()
                      .put("type", "jsonSchema")
                      .set("schema", JsonShape.of(json).toSchema(true)));
    }
    return request;
  }

  @Override
  protected void writeTail() throws IOException {
    out.writeEndArray();
    out.writeObjectFieldStart("variables");
    for (var variable : origins.defaults().entrySet()) {
      out.writeStringField(variable.getKey(), variable.getValue());
    }
    out.writeEndObject();
    out.writeEndObject();
  }
}
