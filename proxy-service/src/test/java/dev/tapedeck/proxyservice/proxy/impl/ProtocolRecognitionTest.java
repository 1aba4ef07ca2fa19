package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Exchanges recorded by the proxy carry their protocol's annotation: the capture hands its
 * finished request, response and events to recognition before publishing.
 */
class ProtocolRecognitionTest extends ProxyTestBase {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void anMcpCallAnsweredWithEventsIsRecordedAsMcpWithItsEvents() throws Exception {
    HttpServer mcp =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.response()
                            .putHeader("Content-Type", "text/event-stream")
                            .end("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[]}}\n\n"))
                .listen(0, "127.0.0.1"));
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + mcp.actualPort(), true, 1 << 20, 1));

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).contains("\"tools\":[]");

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEqualTo("tools/list");
    assertThat(x.getMcp().getId()).isEqualTo("7");
    assertThat(x.getFramesCount()).isEqualTo(1);
    assertThat(x.getFrames(0).getSseEvent()).isEqualTo("message");
  }

  @Test
  void aCompressedGraphqlRequestIsAnnotatedAndStaysHttp() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + upstreamPort(), true, 1 << 20, 1));
    byte[] body =
        ContentCodings.encode(
            "{\"query\":\"mutation Rewind($id: ID!) { rewind(id: $id) { position } }\",\"variables\":{\"id\":\"t1\"}}"
                .getBytes(StandardCharsets.UTF_8),
            "br");

    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(201);

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.HTTP);
    assertThat(x.getGraphql().getOperationName()).isEqualTo("Rewind");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("mutation");
  }
}
