package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reverse proxy between a real JDK HTTP client and a real Vert.x upstream, over loopback. */
class ReverseProxyHandlerTest {
  private static final byte[] PNG = new byte[3000];

  static {
    // Lets the test send a Connection header naming an extra hop-by-hop header.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    new Random(7).nextBytes(PNG);
  }

  private Vertx vertx;
  private HttpServer upstream;
  private HttpServer proxyServer;
  private RecordingProxy proxy;
  private final List<CapturedExchange> captured = new CopyOnWriteArrayList<>();
  private final List<String> upstreamSawHeaders = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  req.headers().names().forEach(upstreamSawHeaders::add);
                  switch (req.path()) {
                    case "/hello" ->
                        req.response()
                            .putHeader("Content-Type", "application/json")
                            .putHeader("X-Upstream", (Iterable<String>) List.of("one", "two"))
                            .end("{\"hello\":\"" + req.getParam("name") + "\"}");
                    case "/echo" ->
                        req.body()
                            .onSuccess(
                                body ->
                                    req.response()
                                        .setStatusCode(201)
                                        .putHeader("Content-Type", req.getHeader("Content-Type"))
                                        .end(body));
                    case "/image" ->
                        req.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
                    default -> req.response().setStatusCode(404).end();
                  }
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
  }

  private int startProxy(String target, long captureLimit) throws Exception {
    SessionSettings settings =
        SessionSettings.of(
            ProxySession.newBuilder()
                .setId("s1")
                .setMode("reverse")
                .setTargetUrl(target)
                .setRecord(true)
                .setCaptureBodyLimitBytes(captureLimit)
                .setRevision(1)
                .build());
    proxy = RecordingProxy.reverse(vertx, settings, captured::add, "test-proxy");
    proxyServer =
        vertx
            .createHttpServer()
            .requestHandler(proxy)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    return proxyServer.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private List<CapturedExchange> awaitCaptured(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (captured.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return captured;
  }

  @Test
  void forwardsGetWithQueryAndRecordsIt() throws Exception {
    int port = startProxy("http://127.0.0.1:" + upstream.actualPort(), 1 << 20);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=tape%20deck"))
                .header("X-Client", "a")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"hello\":\"tape deck\"}");
    assertThat(response.headers().allValues("X-Upstream")).containsExactly("one", "two");

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getSessionId()).isEqualTo("s1");
    assertThat(x.getEntryId()).hasSize(36);
    assertThat(x.getRequest().getMethod()).isEqualTo("GET");
    assertThat(x.getRequest().getUrl())
        .isEqualTo("http://127.0.0.1:" + upstream.actualPort() + "/hello?name=tape%20deck");
    assertThat(x.getRequest().getHeadersList())
        .contains(Header.newBuilder().setName("X-Client").setValue("a").build());
    assertThat(x.getResponse().getStatusCode()).isEqualTo(200);
    assertThat(x.getResponse().getHeadersList().stream().filter(h -> h.getName().equals("X-Upstream")))
        .extracting(Header::getValue)
        .containsExactly("one", "two");
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo("{\"hello\":\"tape deck\"}");
    assertThat(x.getTimings().getTotalMs()).isGreaterThan(0);
  }

  @Test
  void streamsPostBodyBothWaysAndDropsHopByHopHeaders() throws Exception {
    int port = startProxy("http://127.0.0.1:" + upstream.actualPort(), 1 << 20);
    String json = "{\"order\":42,\"items\":[1,2,3]}";
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "application/json")
                .header("X-Drop-Me", "secret")
                .header("Connection", "X-Drop-Me")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo(json);
    assertThat(upstreamSawHeaders).doesNotContain("X-Drop-Me", "Connection");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getBody().getData().toStringUtf8()).isEqualTo(json);
    assertThat(x.getRequest().getBody().getContentType()).isEqualTo("application/json");
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo(json);
  }

  @Test
  void recordsResponseBodyTruncatedAtLimitWhileClientGetsItWhole() throws Exception {
    int port = startProxy("http://127.0.0.1:" + upstream.actualPort(), 1000);
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/image")).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.body()).isEqualTo(PNG);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getResponse().getBody().getTruncated()).isTrue();
    assertThat(x.getResponse().getBody().getSize()).isEqualTo(PNG.length);
    assertThat(x.getResponse().getBody().getData().size()).isEqualTo(1000);
  }

  @Test
  void answers502AndRecordsTheFailureWhenUpstreamIsDown() throws Exception {
    int deadPort;
    try (var socket = new java.net.ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    int port = startProxy("http://127.0.0.1:" + deadPort, 1 << 20);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/anything")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("\"error\":\"bad_gateway\"");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getError()).contains("unreachable");
    assertThat(x.getResponse().getStatusCode()).isEqualTo(502);
  }

  @Test
  void appendsRequestPathToTargetBasePath() throws Exception {
    int port = startProxy("http://127.0.0.1:" + upstream.actualPort() + "/base/", 1 << 20);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(awaitCaptured(1).get(0).getRequest().getUrl()).endsWith("/base/hello");
  }
}
