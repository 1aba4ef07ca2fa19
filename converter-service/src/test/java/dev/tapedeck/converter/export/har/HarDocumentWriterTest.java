package dev.tapedeck.converter.export.har;

import static dev.tapedeck.converter.export.har.TestExchanges.binaryImage;
import static dev.tapedeck.converter.export.har.TestExchanges.body;
import static dev.tapedeck.converter.export.har.TestExchanges.exchange;
import static dev.tapedeck.converter.export.har.TestExchanges.getRequest;
import static dev.tapedeck.converter.export.har.TestExchanges.getWithQueryAndCookies;
import static dev.tapedeck.converter.export.har.TestExchanges.gzipText;
import static dev.tapedeck.converter.export.har.TestExchanges.header;
import static dev.tapedeck.converter.export.har.TestExchanges.postJson;
import static dev.tapedeck.converter.export.har.TestExchanges.stored;
import static dev.tapedeck.converter.export.har.TestExchanges.truncatedText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import de.sstoehr.harreader.HarReader;
import de.sstoehr.harreader.model.Har;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.GraphqlInfo;
import dev.tapedeck.proto.capture.v1.McpInfo;
import dev.tapedeck.proto.capture.v1.SoapInfo;
import dev.tapedeck.proto.capture.v1.TunnelInfo;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import dev.tapedeck.testkit.HarSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HarDocumentWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HTML =
      "<html><body>" + "Grüße aus Tapedeck. ".repeat(200) + "</body></html>";
  private static final byte[] PNG = png();

  private static String har;
  private static JsonNode log;

  @BeforeAll
  static void exportOneOfEachKind() throws IOException {
    har =
        write(
            List.of(
                stored(getWithQueryAndCookies(), 1),
                stored(postJson(), 2),
                stored(gzipText(HTML), 3),
                stored(binaryImage(PNG), 4),
                stored(truncatedText("first bytes of a long text", 1_000_000), 5)));
    log = JSON.readTree(har).get("log");
  }

  static String write(List<StoredEntry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HarDocumentWriter writer =
        new HarDocumentWriter(out, new ExportSession("s-1", "Checkout flow", "1.2.3"));
    for (StoredEntry entry : entries) {
      writer.write(entry);
    }
    writer.finish();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode entry(String entryId) {
    for (JsonNode entry : log.get("entries")) {
      if (entry.get("_entryId").asText().equals(entryId)) {
        return entry;
      }
    }
    throw new AssertionError("no entry " + entryId + " in " + har);
  }

  private static byte[] png() {
    byte[] bytes = new byte[600];
    new Random(7).nextBytes(bytes);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(signature, 0, bytes, 0, signature.length);
    return bytes;
  }

  @Test
  void validatesAgainstTheHarSchema() {
    assertThat(HarSchema.validate(har)).isEmpty();
  }

  @Test
  void readsBackWithHarReader() throws Exception {
    Har parsed = new HarReader().readFromString(har);
    assertThat(parsed.getLog().getEntries()).hasSize(5);
  }

  @Test
  void writesTheLogHeadAndOnePageForTheSession() {
    assertThat(log.get("version").asText()).isEqualTo("1.2");
    assertThat(log.get("creator").get("name").asText()).isEqualTo("Tapedeck");
    assertThat(log.get("creator").get("version").asText()).isEqualTo("1.2.3");
    assertThat(log.get("pages")).hasSize(1);
    JsonNode page = log.get("pages").get(0);
    assertThat(page.get("id").asText()).isEqualTo("s-1");
    assertThat(page.get("title").asText()).isEqualTo("Checkout flow");
    assertThat(page.get("startedDateTime").asText()).isEqualTo("2025-01-02T03:04:05.678+00:00");
    assertThat(log.get("entries"))
        .allSatisfy(e -> assertThat(e.get("pageref").asText()).isEqualTo("s-1"));
  }

  @Test
  void mapsAGetWithItsQueryDecodedAndItsCookies() {
    JsonNode entry = entry("e-get");
    JsonNode request = entry.get("request");
    assertThat(request.get("method").asText()).isEqualTo("GET");
    assertThat(request.get("url").asText())
        .startsWith("http://api.example.test/search?q=hello%20world");
    assertThat(request.get("httpVersion").asText()).isEqualTo("HTTP/1.1");
    assertThat(pairs(request.get("queryString")))
        .containsExactly("q=hello world", "tag=a", "tag=b&c", "empty=", "flag=");
    assertThat(pairs(request.get("cookies"))).containsExactly("session=abc123", "theme=dark");
    assertThat(pairs(request.get("headers")))
        .containsExactly(
            "Host=api.example.test",
            "Cookie=session=abc123; theme=dark",
            "Accept=application/json",
            "accept=text/plain");
    assertThat(request.has("postData")).isFalse();
    assertThat(request.get("headersSize").asLong()).isEqualTo(-1);
    assertThat(request.get("bodySize").asLong()).isZero();

    JsonNode response = entry.get("response");
    assertThat(response.get("status").asInt()).isEqualTo(200);
    assertThat(response.get("statusText").asText()).isEqualTo("OK");
    assertThat(response.get("redirectURL").asText()).isEmpty();
    assertThat(response.get("content").get("text").asText()).isEqualTo("{\"results\":[]}");
    JsonNode setCookie = response.get("cookies").get(0);
    assertThat(setCookie.get("name").asText()).isEqualTo("session");
    assertThat(setCookie.get("value").asText()).isEqualTo("def456");
    assertThat(setCookie.get("path").asText()).isEqualTo("/");
    assertThat(setCookie.get("domain").asText()).isEqualTo("example.test");
    assertThat(setCookie.get("expires").asText()).isEqualTo("2026-10-21T07:28:00.000+00:00");
    assertThat(setCookie.get("httpOnly").asBoolean()).isTrue();
    assertThat(setCookie.get("secure").asBoolean()).isTrue();
    assertThat(pairs(response.get("cookies"))).containsExactly("session=def456", "theme=light");
  }

  @Test
  void mapsAJsonPostBodyAsText() {
    JsonNode entry = entry("e-post");
    JsonNode postData = entry.get("request").get("postData");
    assertThat(postData.get("mimeType").asText()).isEqualTo("application/json; charset=utf-8");
    assertThat(postData.get("text").asText()).isEqualTo("{\"name\":\"Grüße\"}");
    assertThat(postData.has("_encoding")).isFalse();
    assertThat(postData.has("params")).isFalse();
    assertThat(entry.get("request").get("bodySize").asLong())
        .isEqualTo("{\"name\":\"Grüße\"}".getBytes(StandardCharsets.UTF_8).length);
    assertThat(entry.get("response").get("status").asInt()).isEqualTo(201);
    assertThat(entry.get("response").get("redirectURL").asText()).isEqualTo("/items/42");
    assertThat(entry.get("response").get("content").get("size").asLong()).isZero();
  }

  @Test
  void decodesAGzipTextResponse() {
    JsonNode response = entry("e-gzip").get("response");
    JsonNode content = response.get("content");
    int decodedSize = HTML.getBytes(StandardCharsets.UTF_8).length;
    int gzippedSize = TestExchanges.gzip(HTML.getBytes(StandardCharsets.UTF_8)).length;
    assertThat(content.get("text").asText()).isEqualTo(HTML);
    assertThat(content.has("encoding")).isFalse();
    assertThat(content.get("mimeType").asText()).isEqualTo("text/html; charset=utf-8");
    assertThat(content.get("size").asLong()).isEqualTo(decodedSize);
    assertThat(content.get("compression").asLong()).isEqualTo(decodedSize - gzippedSize);
    assertThat(response.get("bodySize").asLong()).isEqualTo(gzippedSize);
  }

  @Test
  void writesABinaryImageAsBase64() {
    JsonNode content = entry("e-image").get("response").get("content");
    assertThat(content.get("encoding").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(content.get("text").asText())).isEqualTo(PNG);
    assertThat(content.get("size").asLong()).isEqualTo(PNG.length);
    assertThat(content.get("mimeType").asText()).isEqualTo("image/png");
  }

  @Test
  void flagsATruncatedBody() {
    JsonNode entry = entry("e-truncated");
    JsonNode content = entry.get("response").get("content");
    assertThat(entry.get("_truncated").asBoolean()).isTrue();
    assertThat(content.get("text").asText()).isEqualTo("first bytes of a long text");
    assertThat(content.get("size").asLong()).isEqualTo(1_000_000);
    assertThat(content.get("comment").asText())
        .isEqualTo("truncated: captured 26 of 1000000 bytes");
    assertThat(entry("e-get").has("_truncated")).isFalse();
  }

  @Test
  void anEntryThatLostPartOfItsCaptureSaysWhatAndWhyWithItsFlagsAndStreamPart() throws Exception {
    CapturedExchange stub =
        getWithQueryAndCookies().toBuilder()
            .setEntryId("e-stub")
            .setLoss(
                dev.tapedeck.proto.capture.v1.CaptureLoss.newBuilder()
                    .setKind("stub")
                    .setReason("bodies and frames dropped while capture publishing lagged (captureOverflow: drop)")
                    .setBytesLost(65536))
            .setFlags(
                dev.tapedeck.proto.capture.v1.Flags.newBuilder()
                    .setMapLocal(true)
                    .addToxics("latency")
                    .addRewriteSkipped("response body over the rewrite limit of 1048576 bytes; passed unchanged"))
            .setStream(dev.tapedeck.proto.capture.v1.StreamPart.newBuilder().setStreamId("e-first").setPart(2))
            .build();
    JsonNode entry = JSON.readTree(write(List.of(stored(stub, 1)))).get("log").get("entries").get(0);

    assertThat(entry.get("_loss").get("kind").asText()).isEqualTo("stub");
    assertThat(entry.get("_loss").get("reason").asText()).contains("captureOverflow: drop");
    assertThat(entry.get("_loss").get("bytesLost").asLong()).isEqualTo(65536);
    assertThat(entry.get("_flags").get("mapLocal").asBoolean()).isTrue();
    assertThat(entry.get("_flags").has("playbackMiss")).isFalse();
    assertThat(entry.get("_flags").get("toxics").get(0).asText()).isEqualTo("latency");
    assertThat(entry.get("_flags").get("rewriteSkipped").get(0).asText()).contains("rewrite limit");
    assertThat(entry.get("_stream").get("streamId").asText()).isEqualTo("e-first");
    assertThat(entry.get("_stream").get("part").asInt()).isEqualTo(2);
    assertThat(entry.get("_stream").get("last").asBoolean()).isFalse();
    // A whole, plain entry carries none of them.
    assertThat(entry("e-get").has("_loss") || entry("e-get").has("_flags") || entry("e-get").has("_stream")).isFalse();
  }

  @Test
  void mapsTimingsAndCustomFields() {
    JsonNode entry = entry("e-get");
    assertThat(entry.get("startedDateTime").asText()).isEqualTo("2025-01-02T03:04:05.678+00:00");
    assertThat(entry.get("time").asInt()).isEqualTo(25);
    JsonNode timings = entry.get("timings");
    assertThat(timings.get("blocked").asInt()).isEqualTo(-1);
    assertThat(timings.get("dns").asInt()).isEqualTo(-1);
    assertThat(timings.get("connect").asInt()).isEqualTo(3);
    assertThat(timings.get("ssl").asInt()).isEqualTo(-1);
    assertThat(timings.get("send").asInt()).isZero();
    assertThat(timings.get("wait").asInt()).isEqualTo(21);
    assertThat(timings.get("receive").asInt()).isEqualTo(1);
    assertThat(entry.get("serverIPAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(entry.get("_entryType").asText()).isEqualTo("http");
    assertThat(entry.get("cache").isObject()).isTrue();
  }

  @Test
  void writesBinaryRequestBodiesAsBase64WithAnEncodingField() throws IOException {
    byte[] upload = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
    CapturedExchange exchange =
        exchange("e-upload")
            .setRequest(
                CapturedRequest.newBuilder()
                    .setMethod("PUT")
                    .setUrl("http://files.example.test/blob")
                    .setHttpVersion("HTTP/1.1")
                    .setBody(body(upload, "")))
            .setResponse(
                CapturedResponse.newBuilder().setStatusCode(204).setHttpVersion("HTTP/1.1"))
            .build();

    String document = write(List.of(stored(exchange, 1)));

    JsonNode postData = JSON.readTree(document).at("/log/entries/0/request/postData");
    assertThat(postData.get("mimeType").asText()).isEqualTo("application/octet-stream");
    assertThat(postData.get("_encoding").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(postData.get("text").asText())).isEqualTo(upload);
    assertThat(HarSchema.validate(document)).isEmpty();
  }

  @Test
  void writesFailedExchangesWebSocketsAndUnknownEncodingsValidly() throws IOException {
    CapturedExchange failed =
        exchange("e-failed")
            .setRequest(getRequest("http://down.example.test/"))
            .setError("upstream unreachable: connection refused")
            .setServerAddress("")
            .build();
    CapturedExchange websocket =
        exchange("e-ws")
            .setEntryType(EntryType.WEBSOCKET)
            .setRequest(getRequest("http://ws.example.test/chat"))
            .setResponse(
                CapturedResponse.newBuilder().setStatusCode(101).setHttpVersion("HTTP/1.1"))
            .addFrames(
                Frame.newBuilder()
                    .setDirection(Direction.CLIENT_TO_SERVER)
                    .setOpcode(1)
                    .setTimeUnixMicros(TestExchanges.STARTED_AT_MICROS + 1000)
                    .setData(ByteString.copyFromUtf8("hello")))
            .addFrames(
                Frame.newBuilder()
                    .setDirection(Direction.SERVER_TO_CLIENT)
                    .setOpcode(2)
                    .setData(ByteString.copyFrom(new byte[] {1, 2, 3})))
            .build();
    CapturedExchange brotli =
        exchange("e-br")
            .setRequest(getRequest("http://www.example.test/app.js"))
            .setResponse(
                CapturedResponse.newBuilder()
                    .setStatusCode(200)
                    .setHttpVersion("HTTP/2")
                    .addHeaders(header("content-encoding", "br"))
                    .setBody(
                        body(new byte[] {0x1b, 0x03, 0x00}, "application/javascript").toBuilder()
                            .setContentEncoding("br")))
            .build();

    String document = write(List.of(stored(failed, 1), stored(websocket, 2), stored(brotli, 3)));

    assertThat(HarSchema.validate(document)).isEmpty();
    JsonNode entries = JSON.readTree(document).at("/log/entries");
    assertThat(entries.get(0).get("_error").asText()).contains("connection refused");
    assertThat(entries.get(0).get("response").get("status").asInt()).isZero();
    assertThat(entries.get(0).has("serverIPAddress")).isFalse();
    assertThat(entries.get(1).get("_entryType").asText()).isEqualTo("websocket");
    assertThat(entries.get(1).get("_webSocketMessages")).hasSize(2);
    assertThat(entries.get(1).get("_webSocketMessages").get(0).get("type").asText())
        .isEqualTo("send");
    assertThat(entries.get(1).get("_webSocketMessages").get(0).get("data").asText())
        .isEqualTo("hello");
    assertThat(entries.get(1).get("_webSocketMessages").get(1).get("data").asText())
        .isEqualTo("AQID");
    JsonNode content = entries.get(2).get("response").get("content");
    assertThat(content.get("encoding").asText()).isEqualTo("base64");
    assertThat(content.get("comment").asText()).isEqualTo("content-encoding br kept as captured");
  }

  @Test
  void writesConnectTunnelsValidlyWithTheirTargetAndByteCounts() throws IOException {
    CapturedExchange tunnel =
        exchange("e-tunnel")
            .setEntryType(EntryType.TUNNEL)
            .setRequest(
                CapturedRequest.newBuilder()
                    .setMethod("CONNECT")
                    .setUrl("127.0.0.1:8443")
                    .setHttpVersion("HTTP/1.1")
                    .addHeaders(header("Host", "127.0.0.1:8443")))
            .setResponse(
                CapturedResponse.newBuilder()
                    .setStatusCode(200)
                    .setStatusText("OK")
                    .setHttpVersion("HTTP/1.1"))
            .setTunnel(
                TunnelInfo.newBuilder()
                    .setHost("127.0.0.1")
                    .setPort(8443)
                    .setBytesClientToServer(517)
                    .setBytesServerToClient(4096))
            .build();
    CapturedExchange failedTunnel =
        exchange("e-tunnel-failed")
            .setEntryType(EntryType.TUNNEL)
            .setRequest(
                CapturedRequest.newBuilder()
                    .setMethod("CONNECT")
                    .setUrl("[::1]:9")
                    .setHttpVersion("HTTP/1.1"))
            .setTunnel(TunnelInfo.newBuilder().setHost("::1").setPort(9))
            .setError("Upstream [::1]:9 unreachable: connection refused")
            .setServerAddress("")
            .build();

    String document = write(List.of(stored(tunnel, 1), stored(failedTunnel, 2)));

    assertThat(HarSchema.validate(document)).isEmpty();
    JsonNode entries = JSON.readTree(document).at("/log/entries");
    JsonNode ok = entries.get(0);
    assertThat(ok.get("_entryType").asText()).isEqualTo("tunnel");
    assertThat(ok.get("request").get("method").asText()).isEqualTo("CONNECT");
    assertThat(ok.get("request").get("url").asText()).isEqualTo("https://127.0.0.1:8443");
    assertThat(ok.get("request").get("queryString")).isEmpty();
    assertThat(ok.get("response").get("status").asInt()).isEqualTo(200);
    assertThat(ok.get("_tunnel").get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(ok.get("_tunnel").get("port").asInt()).isEqualTo(8443);
    assertThat(ok.get("_tunnel").get("bytesClientToServer").asLong()).isEqualTo(517);
    assertThat(ok.get("_tunnel").get("bytesServerToClient").asLong()).isEqualTo(4096);
    JsonNode failed = entries.get(1);
    assertThat(failed.get("request").get("url").asText()).isEqualTo("https://[::1]:9");
    assertThat(failed.get("response").get("status").asInt()).isZero();
    assertThat(failed.get("_error").asText()).contains("unreachable");
  }

  @Test
  void carriesRecognisedProtocolsAsCustomFields() throws IOException {
    CapturedExchange graphql =
        postJson().toBuilder()
            .setGraphql(GraphqlInfo.newBuilder().setOperationName("Shelf").setOperationType("query"))
            .build();
    CapturedExchange soap =
        postJson().toBuilder()
            .setEntryType(EntryType.SOAP)
            .setSoap(
                SoapInfo.newBuilder()
                    .setOperation("GetQuote")
                    .setSoapAction("urn:GetQuote")
                    .setFault(true)
                    .setFaultString("Unknown symbol"))
            .build();
    CapturedExchange mcp =
        postJson().toBuilder()
            .setEntryType(EntryType.MCP)
            .setMcp(McpInfo.newBuilder().setMethod("tools/call").setId("7"))
            .build();

    String document = write(List.of(stored(graphql, 1), stored(soap, 2), stored(mcp, 3)));

    assertThat(HarSchema.validate(document)).isEmpty();
    JsonNode entries = JSON.readTree(document).at("/log/entries");
    assertThat(entries.get(0).get("_entryType").asText()).isEqualTo("http");
    assertThat(entries.get(0).get("_graphql").toString())
        .isEqualTo("{\"operationName\":\"Shelf\",\"operationType\":\"query\"}");
    assertThat(entries.get(1).get("_entryType").asText()).isEqualTo("soap");
    assertThat(entries.get(1).get("_soap").toString())
        .isEqualTo(
            "{\"operation\":\"GetQuote\",\"soapAction\":\"urn:GetQuote\",\"fault\":true,\"faultString\":\"Unknown symbol\"}");
    assertThat(entries.get(2).get("_entryType").asText()).isEqualTo("mcp");
    assertThat(entries.get(2).get("_mcp").toString()).isEqualTo("{\"method\":\"tools/call\",\"id\":\"7\"}");
    assertThat(entries.get(2).has("_graphql")).isFalse();
  }

  @Test
  void anEmptySessionIsAValidHarWithoutPages() throws IOException {
    String document = write(List.of());

    assertThat(HarSchema.validate(document)).isEmpty();
    JsonNode emptyLog = JSON.readTree(document).get("log");
    assertThat(emptyLog.get("pages")).isEmpty();
    assertThat(emptyLog.get("entries")).isEmpty();
  }

  private static List<String> pairs(JsonNode array) {
    List<String> pairs = new ArrayList<>();
    array.forEach(p -> pairs.add(p.get("name").asText() + "=" + p.get("value").asText()));
    return pairs;
  }
}
