package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
    // As the proxy runs: on Linux's native transport, so each loop accepts on a socket of its own.
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on the epoll transport").isTrue();
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

  /** Opens the reverse session {@code s1} on {@code port} and waits for its listener to report. */
  private void openReverse(int port, long revision) throws Exception {
    listeners.open(session("reverse", port, revision, target()));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo(revision + ":ok");
  }

  private static int freePort() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  /** The upstream's origin, as a reverse session's target. */
  private String target() {
    return "http://127.0.0.1:" + upstream.actualPort();
  }

  private HttpResponse<String> send(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void switchesBetweenReverseAndForwardModeOnTheSamePortWithoutReopening() throws Exception {
    int port = freePort();
    String target = target();
    String proxyUrl = "http://127.0.0.1:" + port;
    HttpClient viaProxy =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
            .build();

    openReverse(port, 1);
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
    spreadsAndRecordsInOrder(vertx, true);
  }

  /** {@code tapedeck.proxy.accept-on-event-loops=false}: Vert.x binds the servers and spreads them. */
  @Test
  void spreadsAPortsConnectionsThroughVertxsAcceptorWhenSwitchedOff() throws Exception {
    spreadsAndRecordsInOrder(vertx, false);
  }

  /** Where the native transport does not load, Vert.x binds the servers and spreads them itself. */
  @Test
  void spreadsAPortsConnectionsOverEventLoopsOnJavaNio() throws Exception {
    Vertx nio = Vertx.vertx();
    try {
      assertThat(nio.isNativeTransportEnabled()).isFalse();
      spreadsAndRecordsInOrder(nio, true);
    } finally {
      nio.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Sockets listening on {@code port} on 127.0.0.1, from the kernel's tables (Java and Netty open
   * IPv6 sockets, bound to the IPv4-mapped address, where the machine has IPv6).
   */
  private static long listeningSockets(int port) throws Exception {
    String local = String.format("0100007F:%04X", port);
    long count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(table))) {
        // Columns: sl, local_address, rem_address, st (0A = LISTEN), ...
        count += lines.map(String::trim).map(l -> l.split("\\s+"))
            .filter(c -> c[1].endsWith(local) && c[3].equals("0A")).count();
      }
    }
    return count;
  }

  private void spreadsAndRecordsInOrder(Vertx vertx, boolean acceptOnEventLoops) throws Exception {
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
            acceptOnEventLoops,
            true,
            InterceptionCaSource.NONE,
            dev.tapedeck.proxyservice.proxy.ListenerOptions.OPEN,
            (settings, error) -> reports.add(settings.revision() + ":" + (error == null ? "ok" : error.getMessage())));
    int port = freePort();
    String target = target();
    try {
      vertx.runOnContext(v -> spread.open(session("reverse", port, 1, target)));
      assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("1:ok");
      assertThat(listeningSockets(port))
          .as("listening sockets: one per event loop on the native transport, one Vert.x shares otherwise")
          .isEqualTo(vertx.isNativeTransportEnabled() && acceptOnEventLoops ? 2 : 1);
      // 16 new connections: the kernel picks a loop's socket by a hash of each connection's
      // addresses, so all 16 on one loop has a chance of 2 in 65,536.
      for (int i = 0; i < CONNECTIONS; i++) {
        // A client of its own each time: a new connection, as sequential curl runs make.
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
          assertThat(send(client, "http://127.0.0.1:" + port + "/" + i).body()).isEqualTo("upstream saw /" + i);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (captured.size() < CONNECTIONS && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(captured)
          .extracting(x -> x.getRequest().getUrl())
          .containsExactly(java.util.stream.IntStream.range(0, CONNECTIONS).mapToObj(i -> target + "/" + i).toArray(String[]::new));
      assertThat(java.util.Set.copyOf(handedOverOn)).as("event loops that served the port").hasSizeGreaterThan(1);
    } finally {
      spread.closeAll();
    }
  }

  private static final int CONNECTIONS = 16;

  /**
   * Every socket of a port shares it with {@code SO_REUSEPORT}; a port something else already
   * listens on must still fail to open, not be shared with it.
   */
  @Test
  void failsToOpenAPortSomethingElseListensOn() throws Exception {
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress("127.0.0.1", 0));
      listeners.open(session("reverse", other.getLocalPort(), 1, target()));
      assertThat(reports.poll(5, TimeUnit.SECONDS)).startsWith("1:").isNotEqualTo("1:ok");
    }
  }

  /** Closing a listener closes its open connections, and its port can be opened again at once. */
  @Test
  void closingAListenerClosesItsConnectionsAndFreesThePort() throws Exception {
    int port = freePort();
    openReverse(port, 1);
    try (java.net.Socket held = new java.net.Socket("127.0.0.1", port)) {
      held.setSoTimeout(5_000);
      held.getOutputStream().write("GET /held HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      byte[] head = new byte[12];
      assertThat(held.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
      assertThat(new String(head)).isEqualTo("HTTP/1.1 200");

      listeners.closeAll();

      assertThat(held.getInputStream().readAllBytes()).as("what is left once the listener closed").hasSizeLessThan(200);
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
  }

  @Test
  void ignoresAnOlderRevision() throws Exception {
    int port = freePort();
    openReverse(port, 5);

    listeners.open(session("forward", port, 4, ""));

    assertThat(send(direct, "http://127.0.0.1:" + port + "/still-reverse").body())
        .isEqualTo("upstream saw /still-reverse");
  }
}
