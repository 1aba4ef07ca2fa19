package dev.tapedeck.converter.export;

import dev.tapedeck.converter.export.collection.ApiTesterCollectionWriter;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.har.HarDocumentWriter;
import dev.tapedeck.converter.export.insomnia.InsomniaWriter;
import dev.tapedeck.converter.export.k6.K6ScriptWriter;
import dev.tapedeck.converter.export.mockd.MockdConfig;
import dev.tapedeck.converter.export.nodetest.NodeTestWriter;
import dev.tapedeck.converter.export.openapi.OpenApiWriter;
import dev.tapedeck.converter.export.postman.PostmanCollectionWriter;
import dev.tapedeck.converter.export.wiremock.WireMockMappings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The formats an export can be written in, each with its document writer. */
public enum ExportFormat {
  /** HAR 1.2, the default. */
  HAR(
      "har",
      HarDocumentWriter.CONTENT_TYPE,
      HarDocumentWriter.EXTENSION,
      (out, session, options) -> new HarDocumentWriter(out, session)),
  /** WireMock 3 stub mappings. */
  WIREMOCK(
      "wiremock",
      WireMockMappings.CONTENT_TYPE,
      WireMockMappings.EXTENSION,
      (out, session, options) -> new CollectingWriter(out, new WireMockMappings(options)::render)),
  /** A mockd configuration (YAML). */
  MOCKD(
      "mockd",
      MockdConfig.CONTENT_TYPE,
      MockdConfig.EXTENSION,
      (out, session, options) -> new CollectingWriter(out, new MockdConfig(options)::render)),
  /** An OpenAPI 3.1 document inferred from the traffic. */
  OPENAPI("openapi", OpenApiWriter.CONTENT_TYPE, OpenApiWriter.EXTENSION, OpenApiWriter::new),
  /** A Postman collection v2.1 with tests on status and response shape. */
  POSTMAN(
      "postman",
      PostmanCollectionWriter.CONTENT_TYPE,
      PostmanCollectionWriter.EXTENSION,
      PostmanCollectionWriter::new),
  /** An Insomnia v4 export (JSON). */
  INSOMNIA_V4(
      "insomnia-v4",
      InsomniaWriter.JSON_CONTENT_TYPE,
      InsomniaWriter.JSON_EXTENSION,
      InsomniaWriter::v4),
  /** An Insomnia v5 collection (YAML). */
  INSOMNIA_V5(
      "insomnia-v5",
      InsomniaWriter.YAML_CONTENT_TYPE,
      InsomniaWriter.YAML_EXTENSION,
      InsomniaWriter::v5),
  /** {@code export-perf}: a k6 load script. */
  K6("k6", K6ScriptWriter.CONTENT_TYPE, K6ScriptWriter.EXTENSION, K6ScriptWriter::new),
  /** {@code export-test}: a test script for {@code node --test}. */
  NODE_TEST(
      "node-test", NodeTestWriter.CONTENT_TYPE, NodeTestWriter.EXTENSION, NodeTestWriter::new),
  /** {@code export-collection}: the API Tester collection, for the {@code protocol} option. */
  COLLECTION(
      "collection",
      ApiTesterCollectionWriter.CONTENT_TYPE,
      ApiTesterCollectionWriter.EXTENSION,
      ApiTesterCollectionWriter::new);

  /** Makes a format's writer. */
  @FunctionalInterface
  interface WriterFactory {
    DocumentWriter create(OutputStream out, ExportSession session, ConversionOptions options)
        throws IOException;
  }

  private final String id;
  private final String contentType;
  private final String extension;
  private final WriterFactory factory;

  ExportFormat(String id, String contentType, String extension, WriterFactory factory) {
    this.id = id;
    this.contentType = contentType;
    this.extension = extension;
    this.factory = factory;
  }

  /** The format a request names; an empty name means HAR. */
  public static Optional<ExportFormat> named(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    if (wanted.isEmpty()) {
      return Optional.of(HAR);
    }
    return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst();
  }

  /** The names {@link #named} accepts, for error messages. */
  public static String supported() {
    return Arrays.stream(values()).map(f -> f.id).collect(Collectors.joining(", "));
  }

  /** The name requests use for this format. */
  public String id() {
    return id;
  }

  /** The media type of the exported file. */
  public String contentType() {
    return contentType;
  }

  /** The file extension, with its dot. */
  public String extension() {
    return extension;
  }

  /** A writer of this format onto {@code out}, with the default options. */
  public DocumentWriter writer(OutputStream out, ExportSession session) {
    return writer(out, session, ConversionOptions.defaults());
  }

  /** A writer of this format onto {@code out}. */
  public DocumentWriter writer(OutputStream out, ExportSession session, ConversionOptions options) {
    try {
      return factory.create(out, session, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
