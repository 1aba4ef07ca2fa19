package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listeners on real loopback ports, as the session watch drives them. */
class ListenerManagerTest {
  private Vertx vertx;
  private HttpServer upstream;
  private ListenerManager listeners;
  private final List<CapturedExchange> captured = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
  private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer()
            .requestHandler(req -> req.response().end("upstream saw " + req.uri()))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    listeners =
        new ListenerManager(
            vertx,
            captured::add,
            "test-proxy",
            "127.0.0.1",
            1,
            InterceptionCaSource.NONE,
            (settings, error) -> reports.add(settings.revision() + ":" + (error == null ? "ok" : error.getMessage())));
  }

  @AfterEach
  void stop() throws Exception {
    listeners.closeAll();
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static SessionSettings session(String mode, int port, long revision, String target) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode(mode)
            .setTargetUrl(target)
            .setListenPort(port)
            .setRecord(true)
            .setCaptureBodyLimitBytes(1024)
            .setRevision(revision)
            .build());
  }

  private HttpResponse<String> send(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void switchesBetweenReverseAndForwardModeOnTheSamePortWithoutReopening() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String target = "http://127.0.0.1:" + upstream.actualPort();
    String proxyUrl = "http://127.0.0.1:" + port;
    HttpClient viaProxy =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
            .build();

    listeners.open(session("reverse", port, 1, target));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("1:ok");
    assertThat(send(direct, proxyUrl + "/one").body()).isEqualTo("upstream saw /one");

    listeners.open(session("forward", port, 2, ""));
    assertThat(send(direct, proxyUrl + "/two").statusCode()).isEqualTo(400);
    assertThat(send(viaProxy, target + "/three").body()).isEqualTo("upstream saw /three");

    listeners.open(session("reverse", port, 3, target));
    assertThat(send(direct, proxyUrl + "/four").body()).isEqualTo("upstream saw /four");

    // Same port each time: the listener took the settings over, it was not reopened.
    assertThat(reports).isEmpty();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (captured.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(captured)
        .extracting(x -> x.getRequest().getUrl())
        .containsExactly(target + "/one", target + "/three", target + "/four");
  }

  /**
   * The session stream delivers on one event loop; the listener's servers must still serve a
   * port's connections on several, and a client's sequential exchanges must be recorded in the
   * order they ended, whichever loop served each.
   */
  @Test
  void spreadsAPortsConnectionsOverEventLoopsAndRecordsThemInOrder() throws Exception {
    List<String> handedOverOn = new CopyOnWriteArrayList<>();
    ListenerManager spread =
        new ListenerManager(
            vertx,
            exchange -> {
              handedOverOn.add(Thread.currentThread().getName());
              captured.add(exchange);
            },
            "test-proxy",
            "127.0.0.1",
            2,
            InterceptionCaSource.NONE,
            (settings, error) -> reports.add(settings.revision() + ":" + (error == null ? "ok" : error.getMessage())));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String target = "http://127.0.0.1:" + upstream.actualPort();
    try {
      vertx.runOnContext(v -> spread.open(session("reverse", port, 1, target)));
      assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("1:ok");
      for (int i = 0; i < 8; i++) {
        // A client of its own each time: a new connection, as sequential curl runs make.
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
          assertThat(send(client, "http://127.0.0.1:" + port + "/" + i).body()).isEqualTo("upstream saw /" + i);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (captured.size() < 8 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(captured)
          .extracting(x -> x.getRequest().getUrl())
          .containsExactly(java.util.stream.IntStream.range(0, 8).mapToObj(i -> target + "/" + i).toArray(String[]::new));
      assertThat(java.util.Set.copyOf(handedOverOn)).as("event loops that served the port").hasSizeGreaterThan(1);
    } finally {
      spread.closeAll();
    }
  }

  @Test
  void ignoresAnOlderRevision() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String target = "http://127.0.0.1:" + upstream.actualPort();
    listeners.open(session("reverse", port, 5, target));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("5:ok");

    listeners.open(session("forward", port, 4, ""));

    assertThat(send(direct, "http://127.0.0.1:" + port + "/still-reverse").body())
        .isEqualTo("upstream saw /still-reverse");
  }
}
