package dev.tapedeck.converter.export.insomnia;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tapedeck.converter.export.script.RequestDocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.RequestUrl;
import dev.tapedeck.converter.export.script.Origins;
import dev.tapedeck.converter.export.script.ScriptRequests;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * Writes an Insomnia collection: v4, the JSON export the mockd reference shows ({@code _type:
 * export}, {@code __export_format: 4}, {@code resources}: a workspace, the requests and a base
 * environment), or v5, YAML with the reference's head ({@code type: collection.insomnia.rest/5.0},
 * {@code name}, {@code meta}) and the body Insomnia 11 reads ({@code schema_version: "5.1"}, the
 * requests under {@code collection}, the base environment under {@code environments}), since
 * Insomnia takes v5 requests from {@code collection}. Each request has its headers, query
 * parameters and body; the environment's {@code baseUrl}, {@code baseUrl2}, ... hold the recorded
 * origins (or the {@code base_url} option) and requests call {@code {{ _.baseUrl }}}.
 *
 * <p>Requests are written as entries arrive; the environment, known only at the end, goes last.
 */
public final class InsomniaWriter extends RequestDocumentWriter<JsonGenerator> {

  /** The media type of v4 exports. */
  public static final String JSON_CONTENT_TYPE = "application/json";

  /** The media type of v5 exports. */
  public static final String YAML_CONTENT_TYPE = "application/x-yaml";

  /** The file extension of v4 exports. */
  public static final String JSON_EXTENSION = ".insomnia.json";

  /** The file extension of v5 exports. */
  public static final String YAML_EXTENSION = ".insomnia.yaml";

  private static final String WORKSPACE = "wrk_tapedeck";

  private final ObjectMapper mapper;
  private final boolean v5;
  private int requests;
  private long now;

  private InsomniaWriter(
      JsonFactory factory,
      boolean v5,
      OutputStream out,
      ExportSession session,
      ConversionOptions options)
      throws IOException {
    super(
        session,
        options,
        Origins.collectionVariables(options.baseUrl()),
        generator(factory, out, !v5));
    this.mapper = new ObjectMapper(factory);
    this.v5 = v5;
  }

  /** A v4 (JSON) writer. */
  public static InsomniaWriter v4(
      OutputStream out, ExportSession session, ConversionOptions options) throws IOException {
    return new InsomniaWriter(new JsonFactory(), false, out, session, options);
  }

  /** A v5 (YAML) writer. */
  public static InsomniaWriter v5(
      OutputStream out, ExportSession session, ConversionOptions options) throws IOException {
    YAMLFactory yaml =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // A string such as "1" must stay a string, not become a YAML number.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    return new InsomniaWriter(yaml, true, out, session, options);
  }

  @Override
  protected void writeRequest(Exchange exchange) throws IOException {
    mapper.writeTree(out, request(exchange, ++requests));
  }

  @Override
  protected void writeHead() throws IOException {
    String name = options.nameOr(session.title());
    now = Instant.now().toEpochMilli();
    out.writeStartObject();
    if (v5) {
      out.writeStringField("type", "collection.insomnia.rest/5.0");
      out.writeStringField("schema_version", "5.1");
      out.writeStringField("name", name);
      out.writeObjectFieldStart("meta");
      out.writeStringField("id", WORKSPACE);
      out.writeNumberField("created", now);
      out.writeNumberField("modified", now);
      out.writeStringField(
          "description",
          "Recorded by Tapedeck " + session.creatorVersion() + ", session " + session.sessionId());
      out.writeEndObject();
      out.writeArrayFieldStart("collection");
      return;
    }
    out.writeStringField("_type", "export");
    out.writeNumberField("__export_format", 4);
    out.writeStringField("__export_date", Instant.ofEpochMilli(now).toString());
    out.writeStringField("__export_source", "tapedeck:" + session.creatorVersion());
    out.writeArrayFieldStart("resources");
    ObjectNode workspace = mapper.createObjectNode();
    workspace.put("_id", WORKSPACE);
    workspace.put("_type", "workspace");
    workspace.put("name", name);
    workspace.put("description", "Recorded by Tapedeck, session " + session.sessionId());
    workspace.put("scope", "collection");
    mapper.writeTree(out, workspace);
  }

  private ObjectNode request(Exchange exchange, int number) {
    ObjectNode request = mapper.createObjectNode();
    if (v5) {
      ObjectNode meta = request.putObject("meta");
      meta.put("id", "req_tapedeck_" + number);
      meta.put("created", now);
      meta.put("modified", now);
      meta.put("isPrivate", false);
      meta.put("sortKey", number);
    } else {
      request.put("_id", "req_tapedeck_" + number);
      request.put("_type", "request");
      request.put("parentId", WORKSPACE);
      request.put("metaSortKey", number);
    }
    request.put("name", ScriptRequests.name(exchange));
    request.put("method", exchange.method());
    String variable = origins.variableFor(exchange.url().origin());
    request.put("url", "{{ _." + variable + " }}" + exchange.url().path());
    ArrayNode headers = request.putArray("headers");
    for (Header header : ScriptRequests.headers(exchange)) {
      headers.addObject().put("name", header.getName()).put("value", header.getValue());
    }
    ArrayNode parameters = request.putArray("parameters");
    for (RequestUrl.QueryParam param : exchange.url().query()) {
      parameters.addObject().put("name", param.name()).put("value", param.value());
    }
    ObjectNode body = request.putObject("body");
    if (!exchange.requestBody().isEmpty() && !exchange.requestBody().base64()) {
      body.put(
          "mimeType",
          exchange.requestBody().mimeType().isEmpty()
              ? "text/plain"
              : exchange.requestBody().mimeType());
      body.put("text", exchange.requestBody().text());
    }
    return request;
  }

  @Override
  protected void writeTail() throws IOException {
    if (v5) {
      out.writeEndArray();
      ObjectNode environments = mapper.createObjectNode();
      environments.put("name", "Base Environment");
      ObjectNode meta = environments.putObject("meta");
      meta.put("id", "env_tapedeck_base");
      meta.put("created", now);
      meta.put("modified", now);
      meta.put("isPrivate", false);
      ObjectNode data = environments.putObject("data");
      origins.defaults().forEach(data::put);
      out.writeFieldName("environments");
      mapper.writeTree(out, environments);
      out.writeEndObject();
      return;
    }
    ObjectNode environment = mapper.createObjectNode();
    environment.put("_id", "env_tapedeck_base");
    environment.put("_type", "environment");
    environment.put("parentId", WORKSPACE);
    environment.put("name", "Base Environment");
    ObjectNode data = environment.putObject("data");
    origins.defaults().forEach(data::put);
    mapper.writeTree(out, environment);
    out.writeEndArray();
    out.writeEndObject();
  }
}
