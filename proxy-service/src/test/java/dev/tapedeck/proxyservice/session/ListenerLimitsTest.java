package dev.tapedeck.proxyservice.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A listener's connection cap and idle timeout, on real loopback sockets. */
class ListenerLimitsTest {
  private Vertx vertx;
  private HttpServer upstream;
  private ListenerManager listeners;
  private final AtomicInteger refused = new AtomicInteger();
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    // As the proxy runs: on Linux's native transport, so each loop accepts on a socket of its own.
    vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
    assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on the epoll transport").isTrue();
    upstream =
        vertx.createHttpServer().requestHandler(ListenerLimitsTest::answer).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** {@code /stream}: six chunks 400 ms apart (2.4 s of a response); anything else: "ok". */
  private static void answer(HttpServerRequest req) {
    if (!req.path().equals("/stream")) {
      req.response().end("ok");
      return;
    }
    HttpServerResponse response = req.response().setChunked(true);
    AtomicInteger sent = new AtomicInteger();
    Vertx.currentContext().owner().setPeriodic(400, id -> {
      if (sent.incrementAndGet() < 6) {
        response.write("chunk " + sent.get() + "\n");
      } else {
        Vertx.currentContext().owner().cancelTimer(id);
        response.end("chunk 6\n");
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    if (listeners != null) {
      listeners.closeAll();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private int open(String mode, int maxConnections, int idleSeconds) throws Exception {
    listeners =
        new ListenerManager(
            vertx, x -> {}, "test-proxy", "127.0.0.1", 2, true, true, InterceptionCaSource.NONE,
            new ListenerOptions(EgressPolicy.OPEN, maxConnections, idleSeconds, refused::incrementAndGet),
            (s, e) -> reports.add(e == null ? "ok" : e.getMessage()));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    listeners.open(
        SessionSettings.of(
            ProxySession.newBuilder().setId("s1").setMode(mode).setListenPort(port).setRecord(false)
                .setTargetUrl(mode.equals("reverse") ? "http://127.0.0.1:" + upstream.actualPort() : "")
                .setRevision(1).build()));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    return port;
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static String get(Socket s) throws IOException {
    s.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    byte[] buf = new byte[512];
    int n = s.getInputStream().read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Milliseconds until the server closes {@code s} (reads return end of stream or a reset). */
  private static long millisUntilClosed(Socket s) throws IOException {
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain whatever the server says before it closes
      }
    } catch (SocketException reset) {
      // a reset is a close too
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void closesConnectionsPastTheCapAndCountsThem() throws Exception {
    int port = open("reverse", 2, 60);
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = connect(port);
        held.add(s);
        assertThat(get(s)).startsWith("HTTP/1.1 200");
      }
      try (Socket third = connect(port)) {
        third.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(millisUntilClosed(third)).isLessThan(5_000);
      }
      assertThat(refused.get()).isEqualTo(1);
      held.remove(0).close();
      Thread.sleep(200);
      try (Socket again = connect(port)) {
        assertThat(get(again)).startsWith("HTTP/1.1 200");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void closesASlowlorisConnectionThatStallsInItsRequestHead() throws Exception {
    int port = open("reverse", 10, 1);
    try (Socket s = connect(port)) {
      s.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
      long closedAfter = millisUntilClosed(s);
      assertThat(closedAfter).isBetween(500L, 5_000L);
    }
  }

  @Test
  void closesAnIdleTunnel() throws Exception {
    NetServer silent =
        vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int port = open("forward", 10, 1);
    try (Socket s = connect(port)) {
      String authority = "127.0.0.1:" + silent.actualPort();
      s.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] buf = new byte[256];
      int n = s.getInputStream().read(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
      assertThat(millisUntilClosed(s)).isBetween(300L, 5_000L);
    }
  }

  @Test
  void keepsAConnectionThatStaysBusyPastTheIdleTimeout() throws Exception {
    int port = open("reverse", 10, 1);
    try (Socket s = connect(port)) {
      for (int i = 0; i < 4; i++) {
        assertThat(get(s)).startsWith("HTTP/1.1 200");
        Thread.sleep(600);
      }
    }
  }

  /** Bytes written to a client that sends nothing count as activity too. */
  @Test
  void keepsAConnectionWhoseResponseStreamsPastTheIdleTimeout() throws Exception {
    int port = open("reverse", 10, 1);
    try (Socket s = connect(port)) {
      s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(readUntil(s.getInputStream(), "chunk 6\n"), StandardCharsets.ISO_8859_1);
      assertThat(response).startsWith("HTTP/1.1 200").contains("chunk 1\n", "chunk 5\n", "chunk 6\n");
    }
  }

  private static byte[] readUntil(InputStream in, String end) throws IOException {
    java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[256];
    while (!read.toString(StandardCharsets.ISO_8859_1).contains(end)) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      read.write(buf, 0, n);
    }
    return read.toByteArray();
  }
}
