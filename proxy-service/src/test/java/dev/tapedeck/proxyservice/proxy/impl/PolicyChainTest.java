package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.http.HttpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one policy chain on the kinds whose relays once decided for themselves: WebSocket frames get
 * the session's websocket toxics, tunnels its host filters and connection toxics.
 */
class PolicyChainTest extends ProxyTestBase {

  private int echoUpstream() throws Exception {
    HttpServer server =
        await(
            vertx
                .createHttpServer()
                .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo:" + text)))
                .listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private static SessionSettings session(String mode, String target, String policiesJson) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode(mode)
            .setTargetUrl(target)
            .setRecord(true)
            .setCaptureBodyLimitBytes(1 << 20)
            .setRevision(1)
            .setConfigJson("{\"version\":1,\"policies\":" + policiesJson + "}")
            .build());
  }

  /** A JDK WebSocket client that completes {@code firstText} and {@code closed} (with the status). */
  private static final class Client implements WebSocket.Listener {
    final CompletableFuture<String> firstText = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      firstText.complete(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }
  }

  private WebSocket open(int port, Client client) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"), client)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void websocketDelayToxicHoldsBackEachFrameBothWays() throws Exception {
    int upstream = echoUpstream();
    int port =
        startProxy(session("reverse", "http://127.0.0.1:" + upstream, "{\"toxics\":{\"websocket\":{\"delayMs\":300}}}"));
    Client client = new Client();
    WebSocket ws = open(port, client);

    long start = System.nanoTime();
    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(client.firstText.get(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");
    long roundTripMs = (System.nanoTime() - start) / 1_000_000;
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

    // 300 ms on the way up, 300 ms on the way back.
    assertThat(roundTripMs).isGreaterThanOrEqualTo(590);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.WEBSOCKET);
    assertThat(x.getFlags().getToxicsList()).contains("delay");
  }

  @Test
  void websocketErrorToxicFailsTheFrameAndClosesBothSidesWith1011() throws Exception {
    int upstream = echoUpstream();
    int port =
        startProxy(session("reverse", "http://127.0.0.1:" + upstream, "{\"toxics\":{\"websocket\":{\"errorRate\":1.0}}}"));
    Client client = new Client();
    WebSocket ws = open(port, client);

    ws.sendText("doomed", true).get(5, TimeUnit.SECONDS);

    assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1011);
    assertThat(client.firstText).isNotDone();
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getError()).contains("websocket error toxic");
    assertThat(x.getFlags().getToxicsList()).contains("error");
    assertThat(x.getFramesList()).anyMatch(f -> f.getData().toStringUtf8().equals("doomed"));
  }

  private String tunnel(int port, String authority) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String head = readHead(socket.getInputStream());
      if (!head.startsWith("HTTP/1.1 200")) {
        return head;
      }
      out.write(("GET /hello HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aTunnelToAnExcludedHostIsRelayedButNotRecorded() throws Exception {
    int port = startProxy(session("forward", "", "{\"filters\":{\"excludeHosts\":[\"localhost\"]}}"));

    assertThat(tunnel(port, "localhost:" + upstreamPort())).startsWith("HTTP/1.1 200 OK");
    assertThat(tunnel(port, "127.0.0.1:" + upstreamPort())).startsWith("HTTP/1.1 200 OK");

    CapturedExchange x = awaitCaptured(1).get(0);
    Thread.sleep(300);
    assertThat(captured).hasSize(1);
    assertThat(x.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(x.getTunnel().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void connectionToxicsApplyToTunnels() throws Exception {
    int port = startProxy(session("forward", "", "{\"toxics\":{\"connection\":{\"resetRate\":1.0}}}"));

    // Reset: the CONNECT gets no answer at all.
    assertThat(tunnel(port, "127.0.0.1:" + upstreamPort())).isEmpty();

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(x.getFlags().getToxicsList()).containsExactly("reset");
    assertThat(x.getError()).contains("reset toxic");
  }

  @Test
  void theHttpBandwidthPacesWhatATunnelCarriesFromTheServer() throws Exception {
    // 3,000 bytes (the /image route) plus its head at 2 KiB/s: more than a second.
    int port = startProxy(session("forward", "", "{\"toxics\":{\"http\":{\"bandwidthKBps\":2}}}"));

    long start = System.nanoTime();
    byte[] got = tunnelGet(port, "127.0.0.1:" + upstreamPort(), "/image");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(new String(got, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
    assertThat(got.length).isGreaterThan(3000);
    assertThat(tookMs).isGreaterThanOrEqualTo(1000);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getTunnel().getBytesServerToClient()).isEqualTo(got.length);
    assertThat(x.getFlags().getToxicsList()).contains("bandwidth");
  }

  private byte[] tunnelGet(int port, String authority, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return socket.getInputStream().readAllBytes();
    }
  }

  @Test
  void closeAfterBytesCutsATunnel() throws Exception {
    int port = startProxy(session("forward", "", "{\"toxics\":{\"connection\":{\"closeAfterBytes\":10}}}"));

    String got = tunnel(port, "127.0.0.1:" + upstreamPort());

    assertThat(got).hasSize(10);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getTunnel().getBytesServerToClient()).isEqualTo(10);
    assertThat(x.getError()).contains("closeAfterBytes");
  }
}
