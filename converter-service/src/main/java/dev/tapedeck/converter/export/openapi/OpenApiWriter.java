package dev.tapedeck.converter.export.openapi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.converter.export.DocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.PathTemplate;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Infers an OpenAPI 3.1 document from the traffic, folding exchanges in as they stream:
 *
 * <ol>
 *   <li>paths are always templated ({@code /users/{id}}), as smart matching does, since an API
 *       description lists operations, not the ids that were called;
 *   <li>each method on a path is an operation, with path, query and application header parameters
 *       (required when every sample had them, typed from their values);
 *   <li>request and response bodies become JSON Schemas merged over all samples ({@link
 *       dev.tapedeck.converter.export.schema.JsonShape}), with the first sample as example;
 *   <li>every status seen is a response; the recorded origins are the servers; Bearer and Basic
 *       Authorization become security schemes.
 * </ol>
 */
public final class OpenApiWriter implements DocumentWriter {

  /** The media type of the document. */
  public static final String CONTENT_TYPE = "application/json";

  /** The file extension. */
  public static final String EXTENSION = ".openapi.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final OutputStream out;
  private final ExportSession session;
  private final ConversionOptions options;
  private final Map<String, Map<String, OpenApiOperation>> paths = new LinkedHashMap<>();
  private final Set<String> origins = new LinkedHashSet<>();
  private int exchanges;

  public OpenApiWriter(OutputStream out, ExportSession session, ConversionOptions options) {
    this.out = out;
    this.session = session;
    this.options = options;
  }

  @Override
  public void write(StoredEntry entry) {
    Exchange.of(entry).ifPresent(this::add);
  }

  private void add(Exchange exchange) {
    exchanges++;
    if (!exchange.url().origin().isEmpty()) {
      origins.add(exchange.url().origin());
    }
    PathTemplate template = PathTemplate.of(exchange.url().path());
    paths
        .computeIfAbsent(template.template(), k -> new LinkedHashMap<>())
        .computeIfAbsent(exchange.method(), m -> new OpenApiOperation(m, template))
        .add(exchange);
  }

  @Override
  public void finish() throws IOException {
    JSON.writeValue(out, document());
    out.flush();
  }

  ObjectNode document() {
    ObjectNode document = JSON.createObjectNode();
    document.put("openapi", "3.1.0");
    ObjectNode info = document.putObject("info");
    info.put("title", options.nameOr(session.title()));
    info.put("version", "1.0.0");
    info.put(
        "description",
        "Inferred by Tapedeck "
            + session.creatorVersion()
            + " from "
            + exchanges
            + " recorded exchanges of session "
            + session.sessionId()
            + ".");
    if (!origins.isEmpty()) {
      ArrayNode servers = document.putArray("servers");
      options.baseUrl().ifPresent(url -> servers.addObject().put("url", url));
      origins.forEach(origin -> servers.addObject().put("url", origin));
    }
    ObjectNode pathsNode = document.putObject("paths");
    Set<String> operationIds = new HashSet<>();
    Set<String> schemes = new LinkedHashSet<>();
    paths.forEach(
        (template, operations) -> {
          ObjectNode item = pathsNode.putObject(template);
          operations.forEach(
              (method, operation) -> {
                String key = method.toLowerCase(Locale.ROOT);
                if (OpenApiOperations.isOpenApiMethod(key)) {
                  item.set(key, OpenApiOperations.render(operation, operationIds));
                  schemes.addAll(operation.security);
                }
              });
        });
    if (!schemes.isEmpty()) {
      ObjectNode securitySchemes = document.putObject("components").putObject("securitySchemes");
      if (schemes.contains("bearerAuth")) {
        securitySchemes.putObject("bearerAuth").put("type", "http").put("scheme", "bearer");
      }
      if (schemes.contains("basicAuth")) {
        securitySchemes.putObject("basicAuth").put("type", "http").put("scheme", "basic");
      }
    }
    return document;
  }
}
