package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS interception in forward mode, with real TLS on both legs: the JDK client trusts only the
 * interception CA (as a client that installed the downloaded CA does), the upstream is a Vert.x
 * HTTPS server with its own self-signed certificate, trusted by the session's {@code
 * upstreamTls.caPem}.
 */
class InterceptionTest extends ProxyTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private TestCa ca;
  private int tlsUpstreamPort;

  @BeforeEach
  void startTlsUpstream() throws Exception {
    ca = TestCa.create();
    tlsUpstreamPort = startHttpsUpstream();
  }

  private int startInterceptingProxy(Map<String, Object> transport) throws Exception {
    SessionSettings settings =
        SessionSettings.of(
            ProxySession.newBuilder()
                .setId("s1")
                .setMode("forward")
                .setRecord(true)
                .setCaptureBodyLimitBytes(1 << 20)
                .setRevision(1)
                .setConfigJson(JSON.writeValueAsString(Map.of("version", 1, "transport", transport)))
                .build());
    proxy = RecordingProxy.of(vertx, settings, captured::add, "test-proxy", () -> Future.succeededFuture(ca.interceptionCa()));
    return await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();
  }

  private Map<String, Object> interceptTrustingUpstream() throws Exception {
    return Map.of(
        "mitm", Map.of("enabled", true),
        "upstreamTls", Map.of("caPem", TestCa.pem(TestCa.upstreamCertificate())));
  }

  private static HttpClient client(int proxyPort, SSLContext trust, HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(trust)
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String upstreamUrl(String host) {
    return "https://" + host + ":" + tlsUpstreamPort;
  }

  @Test
  void decryptsRecordsAndForwardsWithALeafTheCaSignedForTheHost() throws Exception {
    int port = startInterceptingProxy(interceptTrustingUpstream());

    HttpResponse<String> response =
        get(client(port, ca.trustingClientContext(), HttpClient.Version.HTTP_1_1), upstreamUrl("localhost") + "/hello?name=mitm");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"hello\":\"mitm\"}");
    X509Certificate leaf = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate.getSubjectX500Principal());
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));

    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getEntryType()).isEqualTo(EntryType.HTTP);
    assertThat(entry.getRequest().getUrl()).isEqualTo(upstreamUrl("localhost") + "/hello?name=mitm");
    assertThat(entry.getResponse().getStatusCode()).isEqualTo(200);
    assertThat(entry.getResponse().getBody().getData().toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"hello\":\"mitm\"}");
    assertThat(entry.getClientAddress()).startsWith("127.0.0.1:").isNotEqualTo(entry.getServerAddress());
  }

  @Test
  void negotiatesHttp2WithTheClientByAlpn() throws Exception {
    int port = startInterceptingProxy(interceptTrustingUpstream());
    HttpClient client = client(port, ca.trustingClientContext(), HttpClient.Version.HTTP_2);

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(upstreamUrl("localhost") + "/echo"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("over h2"))
                
                    .timeout(TIMEOUT)
                    .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("over h2");
    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getRequest().getHttpVersion()).isEqualTo("HTTP/2");
    assertThat(entry.getRequest().getBody().getData().toString(StandardCharsets.UTF_8)).isEqualTo("over h2");
  }

  @Test
  void anIpAddressTargetGetsALeafForTheAddress() throws Exception {
    int port = startInterceptingProxy(interceptTrustingUpstream());

    HttpResponse<String> response =
        get(client(port, ca.trustingClientContext(), HttpClient.Version.HTTP_1_1), upstreamUrl("127.0.0.1") + "/hello?name=ip");

    assertThat(response.statusCode()).isEqualTo(200);
    X509Certificate leaf = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
  }

  @Test
  void passthroughHostsAreTunnelledNotDecrypted() throws Exception {
    int port =
        startInterceptingProxy(
            Map.of("mitm", Map.of("enabled", true, "passthroughHosts", List.of("local*"))));

    // The client sees the upstream's own certificate, so it must trust that one. The tunnel is
    // recorded once it closes, so the client is closed after the call.
    HttpResponse<String> response;
    try (HttpClient pinned = client(port, TestCa.trusting(TestCa.upstreamCertificate()), HttpClient.Version.HTTP_1_1)) {
      response =
          get(pinned, upstreamUrl("localhost") + "/hello?name=pinned");
    }

    assertThat(response.statusCode()).isEqualTo(200);
    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(entry.getTunnel().getBytesServerToClient()).isPositive();
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRecordedAsAFailedTunnel() throws Exception {
    int port = startInterceptingProxy(interceptTrustingUpstream());
    HttpClient untrusting = client(port, SSLContext.getDefault(), HttpClient.Version.HTTP_1_1);

    assertThatThrownBy(
            () -> get(untrusting, upstreamUrl("localhost") + "/hello"))
        .isInstanceOf(SSLHandshakeException.class);

    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(entry.getError()).contains("trust the Tapedeck CA");
  }

  @Test
  void anUpstreamCertificateNobodyTrustsIsA502NotASilentPass() throws Exception {
    int port = startInterceptingProxy(Map.of("mitm", Map.of("enabled", true)));

    HttpResponse<String> response =
        get(client(port, ca.trustingClientContext(), HttpClient.Version.HTTP_1_1), upstreamUrl("localhost") + "/hello");

    assertThat(response.statusCode()).isEqualTo(502);
    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getError()).contains("unreachable");
  }

  @Test
  void insecureSkipVerifyAcceptsAnyUpstreamCertificate() throws Exception {
    int port =
        startInterceptingProxy(
            Map.of("mitm", Map.of("enabled", true), "upstreamTls", Map.of("insecureSkipVerify", true)));

    HttpResponse<String> response =
        get(client(port, ca.trustingClientContext(), HttpClient.Version.HTTP_1_1), upstreamUrl("localhost") + "/hello?name=any");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aSecureWebSocketIsRelayedFrameByFrameThroughTheInterception() throws Exception {
    HttpServer wss =
        await(
            vertx
                .createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(TestKeyStore.options()))
                .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo " + text)))
                .listen(0, "127.0.0.1"));
    int port = startInterceptingProxy(interceptTrustingUpstream());
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem)))
                .setProxyOptions(new ProxyOptions().setType(ProxyType.HTTP).setHost("127.0.0.1").setPort(port)));

    WebSocket socket =
        await(client.connect(new WebSocketConnectOptions().setSsl(true).setHost("localhost").setPort(wss.actualPort()).setURI("/ws")));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    socket.textMessageHandler(echoed::complete);
    socket.writeTextMessage("through mitm");
    assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("echo through mitm");
    await(socket.close());

    CapturedExchange entry = awaitCaptured(1).get(0);
    assertThat(entry.getEntryType()).isEqualTo(EntryType.WEBSOCKET);
    assertThat(entry.getRequest().getUrl()).isEqualTo("wss://localhost:" + wss.actualPort() + "/ws");
    assertThat(entry.getFramesList())
        .extracting(f -> f.getDirection() + " " + f.getData().toStringUtf8())
        .startsWith("CLIENT_TO_SERVER through mitm", "SERVER_TO_CLIENT echo through mitm");
  }
}
