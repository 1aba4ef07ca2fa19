package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.TunnelInfo;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Forward mode as an {@code HTTP_PROXY}: real clients configured with the proxy (the JDK client
 * for plain HTTP, a Vert.x client tunnelling HTTPS through CONNECT), a real Vert.x upstream
 * (plain, and HTTPS with a self-signed certificate), over loopback.
 */
class ForwardModeTest extends ProxyTestBase {

  private int startForwardProxy(boolean record) throws Exception {
    return startProxy(settings("forward", "", record, 1 << 20, 1));
  }

  private static HttpClient clientThrough(int proxyPort) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
        .build();
  }

  private String upstreamUrl() {
    return "http://127.0.0.1:" + upstreamPort();
  }

  @Test
  void forwardsAbsoluteUriGetAndRecordsTheAbsoluteUrl() throws Exception {
    int port = startForwardProxy(true);
    HttpResponse<String> response =
        clientThrough(port)
            .send(
                HttpRequest.newBuilder(URI.create(upstreamUrl() + "/hello?name=tape%20deck"))
                    .header("X-Client", "a")
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"hello\":\"tape deck\"}");
    assertThat(response.headers().allValues("X-Upstream")).containsExactly("one", "two");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.HTTP);
    assertThat(x.getRequest().getMethod()).isEqualTo("GET");
    assertThat(x.getRequest().getUrl()).isEqualTo(upstreamUrl() + "/hello?name=tape%20deck");
    assertThat(x.getRequest().getHeadersList())
        .contains(Header.newBuilder().setName("X-Client").setValue("a").build());
    assertThat(x.getResponse().getStatusCode()).isEqualTo(200);
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo("{\"hello\":\"tape deck\"}");
    assertThat(x.getServerAddress()).isEqualTo("127.0.0.1:" + upstreamPort());
    assertThat(x.getTimings().getTotalMs()).isGreaterThan(0);
    assertThat(x.hasTunnel()).isFalse();
  }

  @Test
  void streamsAbsoluteUriPostBodyBothWays() throws Exception {
    int port = startForwardProxy(true);
    String json = "{\"order\":42,\"items\":[1,2,3]}";
    HttpResponse<String> response =
        clientThrough(port)
            .send(
                HttpRequest.newBuilder(URI.create(upstreamUrl() + "/echo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo(json);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getMethod()).isEqualTo("POST");
    assertThat(x.getRequest().getUrl()).isEqualTo(upstreamUrl() + "/echo");
    assertThat(x.getRequest().getBody().getData().toStringUtf8()).isEqualTo(json);
    assertThat(x.getResponse().getStatusCode()).isEqualTo(201);
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo(json);
  }

  @Test
  void dropsProxyHopByHopHeadersAndSendsTheTargetsHost() throws Exception {
    int port = startForwardProxy(true);
    String response =
        rawExchange(
            port,
            "GET " + upstreamUrl() + "/hello?name=raw HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + upstreamPort() + "\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"
                + "X-Client: b\r\n"
                + "\r\n");

    assertThat(response).startsWith("HTTP/1.1 200").endsWith("{\"hello\":\"raw\"}");
    assertThat(upstreamSawHeaders)
        .contains("X-Client", "host")
        .doesNotContain("Proxy-Connection", "Proxy-Authorization");
    assertThat(awaitCaptured(1).get(0).getRequest().getUrl()).isEqualTo(upstreamUrl() + "/hello?name=raw");
  }

  @Test
  void answers400ToARequestThatIsNotAbsoluteForm() throws Exception {
    int port = startForwardProxy(true);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body()).contains("\"error\":\"bad_request\"").contains("absolute URI");
    assertThat(upstreamSawHeaders).isEmpty();
    Thread.sleep(100);
    assertThat(captured).isEmpty();
  }

  @Test
  void answers502AndRecordsTheFailureWhenTheAbsoluteUriHostIsDown() throws Exception {
    int port = startForwardProxy(true);
    int dead = deadPort();
    HttpResponse<String> response =
        clientThrough(port)
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dead + "/x")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getUrl()).isEqualTo("http://127.0.0.1:" + dead + "/x");
    assertThat(x.getError()).contains("unreachable");
    assertThat(x.getResponse().getStatusCode()).isEqualTo(502);
  }

  @Test
  void relaysHttpsThroughAConnectTunnelAndRecordsOneTunnelEntry() throws Exception {
    int port = startForwardProxy(true);
    int httpsPort = startHttpsUpstream();
    io.vertx.core.http.HttpClient client = tlsClientThrough(port);

    String body =
        await(
            client
                .request(HttpMethod.GET, httpsPort, "127.0.0.1", "/hello?name=tls")
                .compose(req -> req.send())
                .compose(resp -> resp.body()))
            .toString();
    await(client.close());

    assertThat(body).isEqualTo("{\"hello\":\"tls\"}");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(x.getRequest().getMethod()).isEqualTo("CONNECT");
    assertThat(x.getRequest().getUrl()).isEqualTo("127.0.0.1:" + httpsPort);
    assertThat(x.getRequest().hasBody()).isFalse();
    assertThat(x.getResponse().getStatusCode()).isEqualTo(200);
    assertThat(x.getResponse().hasBody()).isFalse();
    TunnelInfo tunnel = x.getTunnel();
    assertThat(tunnel.getHost()).isEqualTo("127.0.0.1");
    assertThat(tunnel.getPort()).isEqualTo(httpsPort);
    // A TLS handshake and one request each way: hundreds of bytes at least, in both directions.
    assertThat(tunnel.getBytesClientToServer()).isGreaterThan(100);
    assertThat(tunnel.getBytesServerToClient()).isGreaterThan(100);
    assertThat(x.getError()).isEmpty();
    assertThat(x.getServerAddress()).isEqualTo("127.0.0.1:" + httpsPort);
    assertThat(x.getTimings().getConnectMs()).isGreaterThanOrEqualTo(0);
    assertThat(x.getTimings().getTotalMs()).isGreaterThanOrEqualTo(x.getTimings().getConnectMs());
    Thread.sleep(100);
    assertThat(captured).hasSize(1);
  }

  @Test
  void relaysTunnelBytesUnchangedAndCountsThemExactly() throws Exception {
    int port = startForwardProxy(true);
    String authority = "127.0.0.1:" + upstreamPort();
    byte[] request =
        ("GET /image HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    String connectHead;
    byte[] response;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      connectHead = readHead(socket.getInputStream());
      out.write(request);
      // The upstream closes after its answer (Connection: close); the tunnel passes the close on.
      response = socket.getInputStream().readAllBytes();
    }

    assertThat(connectHead).startsWith("HTTP/1.1 200 ");
    assertThat(new String(response, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
    assertThat(Arrays.copyOfRange(response, response.length - PNG.length, response.length)).isEqualTo(PNG);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getTunnel().getBytesClientToServer()).isEqualTo(request.length);
    assertThat(x.getTunnel().getBytesServerToClient()).isEqualTo(response.length);
    assertThat(x.getResponse().getStatusText()).isEqualTo(connectHead.split("\r\n")[0].substring(13));
  }

  @Test
  void answers502AndRecordsTheFailureWhenTheConnectTargetIsDown() throws Exception {
    int port = startForwardProxy(true);
    int dead = deadPort();
    String response =
        rawExchange(port, "CONNECT 127.0.0.1:" + dead + " HTTP/1.1\r\nHost: 127.0.0.1:" + dead + "\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 502").contains("\"error\":\"bad_gateway\"");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(x.getRequest().getMethod()).isEqualTo("CONNECT");
    assertThat(x.getRequest().getUrl()).isEqualTo("127.0.0.1:" + dead);
    assertThat(x.getError()).contains("unreachable");
    assertThat(x.getResponse().getStatusCode()).isEqualTo(502);
    assertThat(x.getTunnel().getPort()).isEqualTo(dead);
    assertThat(x.getTunnel().getBytesClientToServer()).isZero();
    assertThat(x.getTimings().getConnectMs()).isEqualTo(-1);
  }

  @Test
  void answers400ToAConnectWithoutAPort() throws Exception {
    int port = startForwardProxy(true);
    String response = rawExchange(port, "CONNECT example.test HTTP/1.1\r\nHost: example.test\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");
    Thread.sleep(100);
    assertThat(captured).isEmpty();
  }

  @Test
  void passthroughForwardsAndTunnelsWithoutRecording() throws Exception {
    int port = startForwardProxy(false);
    int httpsPort = startHttpsUpstream();
    HttpResponse<String> plain =
        clientThrough(port)
            .send(
                HttpRequest.newBuilder(URI.create(upstreamUrl() + "/hello?name=quiet")).build(),
                HttpResponse.BodyHandlers.ofString());
    io.vertx.core.http.HttpClient client = tlsClientThrough(port);
    String tls =
        await(
            client
                .request(HttpMethod.GET, httpsPort, "127.0.0.1", "/hello?name=hush")
                .compose(req -> req.send())
                .compose(resp -> resp.body()))
            .toString();
    await(client.close());

    assertThat(plain.body()).isEqualTo("{\"hello\":\"quiet\"}");
    assertThat(tls).isEqualTo("{\"hello\":\"hush\"}");
    Thread.sleep(200);
    assertThat(captured).isEmpty();
  }

  /** A Vert.x client that trusts any certificate and reaches HTTPS hosts by CONNECT through the proxy. */
  private io.vertx.core.http.HttpClient tlsClientThrough(int proxyPort) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setSsl(true)
            .setTrustAll(true)
            .setVerifyHost(false)
            .setProxyOptions(new ProxyOptions().setType(ProxyType.HTTP).setHost("127.0.0.1").setPort(proxyPort)));
  }
}
