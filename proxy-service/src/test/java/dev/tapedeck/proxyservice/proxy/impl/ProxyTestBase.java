package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real Vert.x upstream and a recording proxy in front of it, both on loopback, for the proxy
 * tests of each mode. Upstream routes: {@code /hello?name=} (JSON, two X-Upstream headers),
 * {@code /echo} (the body back, 201), {@code /image} (3000 random bytes), {@code /headers} (the
 * request headers as lower-case {@code name: value} lines); anything else 404.
 */
abstract class ProxyTestBase {
  static final byte[] PNG = new byte[3000];

  static {
    new Random(7).nextBytes(PNG);
  }

  Vertx vertx;
  HttpServer upstream;
  RecordingProxy proxy;
  final List<CapturedExchange> captured = new CopyOnWriteArrayList<>();
  final List<String> upstreamSawHeaders = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startUpstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = await(vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  void answer(HttpServerRequest req) {
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
      case "/image" -> req.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
      case "/headers" -> {
        StringBuilder lines = new StringBuilder();
        req.headers().forEach(h -> lines.append(h.getKey().toLowerCase(Locale.ROOT)).append(": ").append(h.getValue()).append('\n'));
        req.response().putHeader("Content-Type", "text/plain").end(lines.toString());
      }
      default -> req.response().setStatusCode(404).end();
    }
  }

  static SessionSettings settings(String mode, String target, boolean record, long captureLimit, long revision) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode(mode)
            .setTargetUrl(target)
            .setRecord(record)
            .setCaptureBodyLimitBytes(captureLimit)
            .setRevision(revision)
            .build());
  }

  /** Starts the proxy on a free port; returns the port. */
  int startProxy(SessionSettings settings) throws Exception {
    proxy = RecordingProxy.of(vertx, settings, captured::add, "test-proxy");
    return await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();
  }

  /**
   * Starts an HTTPS upstream with the same routes, presenting {@link TestKeyStore}'s self-signed
   * certificate for localhost and 127.0.0.1; returns its port.
   */
  int startHttpsUpstream() throws Exception {
    return await(
            vertx
                .createHttpServer(
                    new HttpServerOptions().setSsl(true).setKeyCertOptions(TestKeyStore.options()))
                .requestHandler(this::answer)
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  int upstreamPort() {
    return upstream.actualPort();
  }

  List<CapturedExchange> awaitCaptured(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (captured.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return captured;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Sends {@code request} as written on a fresh connection and reads one response: the head, then
   * as many body bytes as its Content-Length says.
   */
  static String rawExchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      String headText = readHead(in);
      int length = 0;
      for (String line : headText.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  /** Reads a response head, up to and including the empty line. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
