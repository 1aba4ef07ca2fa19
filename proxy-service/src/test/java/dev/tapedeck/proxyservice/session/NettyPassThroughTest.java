package dev.tapedeck.proxyservice.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.capture.HoldingSink;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pass-through on Netty's codecs, on real loopback sockets through a listener as the session
 * watch opens it: what a client sees, and the hand-over to Vert.x's pipeline on a connection
 * already open when a request needs more than passing through.
 */
class NettyPassThroughTest {
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  private Vertx vertx;
  private HttpServer upstream;
  private ListenerManager listeners;
  private final List<CapturedExchange> captured = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
  /** Each request's head as the upstream saw it, by path. */
  private final Map<String, io.vertx.core.MultiMap> seen = new java.util.concurrent.ConcurrentHashMap<>();
  private int port;
  /** {@code tapedeck.proxy.netty-pass-through} for the listeners {@link #open} makes. */
  private boolean nettyPassThrough = true;
  /** The session contract ({@code config_json}) {@link #open} sends; empty for none. */
  private String configJson = "";
  /** The session's mode, {@code reverse} or {@code forward} (its target is then ignored). */
  private String mode = "reverse";
  /** Where the listeners' captures go; {@code sink.congested} makes it lag. */
  private final HoldingSink sink = new HoldingSink(captured);

  @BeforeAll
  static void meters() {
    Metrics.addRegistry(METERS);
  }

  @AfterAll
  static void noMeters() {
    Metrics.removeRegistry(METERS);
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on the epoll transport").isTrue();
    upstream =
        vertx.createHttpServer().requestHandler(this::answer).webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
            .listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    port = freePort();
  }

  @AfterEach
  void stop() throws Exception {
    if (listeners != null) {
      listeners.closeAll();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /**
   * {@code /echo}: the body back, streamed as it comes, with a trailer; {@code /big/N}: N bytes of
   * a fixed pattern; anything else: "upstream saw METHOD URI body-length".
   */
  private void answer(HttpServerRequest req) {
    seen.put(req.path(), io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    if (req.path().equals("/echo")) {
      var res = req.response().setChunked(true);
      req.handler(res::write);
      req.endHandler(v -> {
        res.trailers().add("x-checked", "yes");
        res.end();
      });
      return;
    }
    if (req.path().startsWith("/status/")) {
      req.response().setStatusCode(Integer.parseInt(req.path().substring(8))).end("as asked");
      return;
    }
    if (req.path().startsWith("/big/")) {
      int size = Integer.parseInt(req.path().substring(5));
      req.response().end(Buffer.buffer(pattern(size)));
      return;
    }
    req.body().onSuccess(body ->
        req.response().end("upstream saw " + req.method() + " " + req.uri() + " " + body.length()));
  }

  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private void open(boolean record, long revision, String target, EgressPolicy egress) throws Exception {
    if (listeners == null) {
      listeners =
          new ListenerManager(
              vertx, sink, "test-proxy", "127.0.0.1", 2, true, nettyPassThrough, InterceptionCaSource.NONE,
              new ListenerOptions(egress, 100, 30, () -> {}),
              (s, e) -> reports.add(e == null ? "ok" : e.getMessage()));
    }
    listeners.open(
        SessionSettings.of(
            ProxySession.newBuilder().setId("s1").setMode(mode).setListenPort(port).setRecord(record)
                .setCaptureBodyLimitBytes(1024).setTargetUrl(target).setRevision(revision).setConfigJson(configJson)
                .build()));
  }

  /** A forward-mode ({@code HTTP_PROXY}) session that only passes traffic, under {@code egress}. */
  private void openForward(EgressPolicy egress) throws Exception {
    mode = "forward";
    open(false, 1, "", egress);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  private void openPassThrough() throws Exception {
    open(false, 1, target(), EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  private String target() {
    return "http://127.0.0.1:" + upstream.actualPort();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double count(String name) {
    var counter = METERS.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void write(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** One response read off {@code in}: status line, headers (lower-case names), body. */
  record Response(String status, Map<String, String> headers, String body) {}

  private static Response read(InputStream in, boolean head) throws IOException {
    String status = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head) {
      return new Response(status, headers, "");
    }
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
      for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
        int colon = trailer.indexOf(':');
        headers.put("trailer " + trailer.substring(0, colon).trim().toLowerCase(Locale.ROOT), trailer.substring(colon + 1).trim());
      }
    } else {
      body.write(in.readAllBytes());
    }
    return new Response(status, headers, body.toString(StandardCharsets.ISO_8859_1));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed after: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Test
  void servesAKeepAliveConnectionRecordsOnItAndHandsItToVertxOnceTheSessionNeedsMore() throws Exception {
    openPassThrough();
    double served = count("tapedeck.proxy.netty.exchanges");
    double handed = count("tapedeck.proxy.netty.handoffs");
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "GET /a?q=1 HTTP/1.1\r\nHost: proxy\r\nX-Mine: kept\r\nKeep-Alive: timeout=5\r\n\r\n");
      Response a = read(in, false);
      assertThat(a.status()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(a.body()).isEqualTo("upstream saw GET /a?q=1 0");
      // As the Vert.x path sends it: the target's Host, the client's own headers, no hop-by-hop ones.
      assertThat(seen.get("/a").get("host")).isEqualTo("127.0.0.1:" + upstream.actualPort());
      assertThat(seen.get("/a").get("x-mine")).isEqualTo("kept");
      assertThat(seen.get("/a").contains("keep-alive")).isFalse();
      assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 1);

      write(s, "POST /b HTTP/1.1\r\nHost: proxy\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(read(in, false).body()).isEqualTo("upstream saw POST /b 5");
      assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 2);

      // Recording switched on: the next requests on this very connection are recorded, still here.
      open(true, 2, target(), EgressPolicy.OPEN);
      write(s, "POST /c HTTP/1.1\r\nHost: proxy\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(read(in, false).body()).isEqualTo("upstream saw POST /c 3");
      write(s, "GET /d HTTP/1.1\r\nHost: proxy\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /d 0");
      awaitCaptures(2);
      assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 4);
      assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed);

      // durability "acked": still here, the response's last bytes held until its capture is durable.
      configJson = "{\"version\":1,\"durability\":\"acked\"}";
      open(true, 3, target(), EgressPolicy.OPEN);
      write(s, "GET /e HTTP/1.1\r\nHost: proxy\r\n\r\n");
      Response head = read(in, true);
      assertThat(head.status()).isEqualTo("HTTP/1.1 200 OK");
      awaitUntil(() -> !sink.durable.isEmpty());
      assertThat(sink.durable).as("a capture waiting to be durable").hasSize(1);
      Thread.sleep(200);
      assertThat(in.available()).as("body bytes sent before the capture was durable").isZero();
      sink.durable.get(0).complete(null);
      int length = Integer.parseInt(head.headers().get("content-length"));
      assertThat(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1)).isEqualTo("upstream saw GET /e 0");
      // A chunked response: the chunks go out as they come, the end once the capture is durable.
      write(s, "POST /echo HTTP/1.1\r\nHost: proxy\r\nContent-Length: 4\r\n\r\nping");
      awaitUntil(() -> sink.durable.size() >= 2);
      assertThat(sink.durable).hasSize(2);
      sink.durable.get(1).complete(null);
      Response echo = read(in, false);
      assertThat(echo.body()).isEqualTo("ping");
      assertThat(echo.headers()).containsEntry("trailer x-checked", "yes");
      assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed);

      // A modification rule is Vert.x's alone: the connection goes there, the request with it.
      configJson = "{\"version\":1,\"policies\":{\"modifications\":{\"requestHeaders\":"
          + "[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\"on\"}]}}}";
      open(true, 4, target(), EgressPolicy.OPEN);
      write(s, "GET /f HTTP/1.1\r\nHost: proxy\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /f 0");
      assertThat(seen.get("/f").get("x-rule")).isEqualTo("on");
    }
    awaitCaptures(5);
    assertThat(captured).extracting(x -> x.getRequest().getUrl())
        .containsExactly(target() + "/c", target() + "/d", target() + "/e", target() + "/echo", target() + "/f");
    assertThat(captured.get(0).getRequest().getBody().getData().toStringUtf8()).isEqualTo("abc");
    assertThat(captured.get(0).getResponse().getBody().getData().toStringUtf8()).isEqualTo("upstream saw POST /c 3");
    assertThat(captured.get(3).getResponse().getTrailersList()).isNotEmpty();
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 6);
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 1);
  }

  /**
   * The same requests, recorded on Netty's codecs and on Vert.x's path, with a status and a path
   * filter: the same entries, field for field, but for what differs from one run to the next.
   */
  @Test
  void recordsOnNettysCodecsWhatVertxRecords() throws Exception {
    configJson = "{\"version\":1,\"policies\":{\"filters\":{\"excludeStatus\":[404],\"excludePaths\":[\"/skip*\"]}}}";
    double served = count("tapedeck.proxy.netty.exchanges");
    List<CapturedExchange> onNetty = recordScript(true);
    assertThat(count("tapedeck.proxy.netty.exchanges")).as("all served on Netty's codecs").isEqualTo(served + 7);
    List<CapturedExchange> onVertx = recordScript(false);
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 7);

    assertSameEntries(onNetty, onVertx);
    CapturedExchange echo = onNetty.get(2);
    assertThat(echo.getRequest().getBody().getData().toStringUtf8()).isEqualTo("abcde");
    assertThat(echo.getResponse().getTrailersList()).extracting(h -> h.getName() + ": " + h.getValue())
        .containsExactly("x-checked: yes");
    CapturedExchange big = onNetty.get(3);
    assertThat(big.getResponse().getBody().getSize()).isEqualTo(5000);
    assertThat(big.getResponse().getBody().getData().toByteArray()).isEqualTo(java.util.Arrays.copyOf(pattern(5000), 1024));
    assertThat(big.getResponse().getBody().getTruncated()).isTrue();
    assertThat(onNetty.get(0).getClientAddress()).startsWith("127.0.0.1:");
    assertThat(onNetty.get(0).getServerAddress()).isEqualTo("127.0.0.1:" + upstream.actualPort());
  }

  /**
   * A forward proxy ({@code HTTP_PROXY}), on Netty's codecs and on Vert.x's path: requests naming
   * the upstream by absolute URI are recorded the same, field for field, and reach the upstream
   * with the Host they name and without the client's proxy headers.
   */
  @Test
  void recordsForwardProxyRequestsOnNettysCodecsAsVertxDoes() throws Exception {
    mode = "forward";
    configJson = "{\"version\":1,\"policies\":{\"filters\":{\"excludeStatus\":[404],\"excludePaths\":[\"/skip*\"]}}}";
    double served = count("tapedeck.proxy.netty.exchanges");
    double handed = count("tapedeck.proxy.netty.handoffs");
    List<CapturedExchange> onNetty = recordScript(true);
    assertThat(count("tapedeck.proxy.netty.exchanges")).as("all served on Netty's codecs").isEqualTo(served + 7);
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed);
    assertThat(seen.get("/a").get("host")).isEqualTo("127.0.0.1:" + upstream.actualPort());
    assertThat(seen.get("/a").contains("proxy-connection")).isFalse();
    assertThat(seen.get("/a").contains("proxy-authorization")).isFalse();
    assertThat(seen.get("/a").get("x-mine")).isEqualTo("kept");
    seen.clear();
    List<CapturedExchange> onVertx = recordScript(false);
    assertThat(seen.get("/a").get("host")).isEqualTo("127.0.0.1:" + upstream.actualPort());
    assertThat(seen.get("/a").contains("proxy-connection")).isFalse();

    assertSameEntries(onNetty, onVertx);
    assertThat(onNetty.get(0).getRequest().getHeadersList()).extracting(h -> h.getName() + ": " + h.getValue())
        .as("recorded as the client sent it").contains("Proxy-Connection: keep-alive");
  }

  /**
   * A forward proxy's other requests go to Vert.x with their connection: a {@code CONNECT} tunnel,
   * a request in origin form (answered 400), and after them nothing more on Netty's codecs.
   */
  @Test
  void aForwardProxyHandsTunnelsAndOriginFormRequestsToVertx() throws Exception {
    openForward(EgressPolicy.OPEN);
    double handed = count("tapedeck.proxy.netty.handoffs");
    double served = count("tapedeck.proxy.netty.exchanges");
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "GET " + target() + "/first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /first 0");
      assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 1);
      write(s, "CONNECT 127.0.0.1:" + upstream.actualPort() + " HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.actualPort() + "\r\n\r\n");
      assertThat(read(in, true).status()).startsWith("HTTP/1.1 200");
      // Through the tunnel, to the upstream as it is.
      write(s, "GET /tunnelled HTTP/1.1\r\nHost: upstream\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /tunnelled 0");
    }
    try (Socket s = connect()) {
      write(s, "GET /no-host HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(read(s.getInputStream(), false).status()).isEqualTo("HTTP/1.1 400 Bad Request");
    }
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 2);
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 1);
  }

  /**
   * A forward proxy asks the egress policy for the host each request names: on one connection a
   * request to an allowed host is served here, the next, to a host the policy refuses, is answered
   * 403 by Vert.x and never reaches the upstream.
   */
  @Test
  void aForwardProxyAsksTheEgressPolicyForEachRequestsHost() throws Exception {
    openForward(EgressPolicy.of(List.of(), List.of(), List.of(), List.of("localhost"), "443"));
    double handed = count("tapedeck.proxy.netty.handoffs");
    double served = count("tapedeck.proxy.netty.exchanges");
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "GET " + target() + "/allowed HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /allowed 0");
      assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 1);
      write(s, "GET http://localhost:" + upstream.actualPort() + "/refused HTTP/1.1\r\nHost: localhost\r\n\r\n");
      Response r = read(in, false);
      assertThat(r.status()).isEqualTo("HTTP/1.1 403 Forbidden");
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("error")).isEqualTo("egress_refused");
    }
    assertThat(seen).containsKey("/allowed").doesNotContainKey("/refused");
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 1);
  }

  /**
   * A forward proxy to an IPv6 literal ({@code http://[::1]:N/}): served here, with the address in
   * brackets in the upstream's {@code Host} and the entry's server address, and recorded under the
   * URL as the client named it.
   */
  @Test
  void aForwardProxyReachesAnIpv6LiteralWithABracketedHost() throws Exception {
    HttpServer v6;
    try {
      v6 = vertx.createHttpServer().requestHandler(this::answer).listen(0, "::1")
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException noIpv6) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getCause());
      return;
    }
    mode = "forward";
    open(true, 1, "", EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    double served = count("tapedeck.proxy.netty.exchanges");
    String origin = "http://[::1]:" + v6.actualPort();
    try (Socket s = connect()) {
      write(s, "GET " + origin + "/v6 HTTP/1.1\r\nHost: [::1]:" + v6.actualPort() + "\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("upstream saw GET /v6 0");
    }
    assertThat(seen.get("/v6").get("host")).isEqualTo("[::1]:" + v6.actualPort());
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 1);
    awaitCaptures(1);
    assertThat(captured.get(0).getRequest().getUrl()).isEqualTo(origin + "/v6");
    // The address in brackets, so the port can be told from it.
    assertThat(captured.get(0).getServerAddress()).isEqualTo("[0:0:0:0:0:0:0:1]:" + v6.actualPort());
  }

  /** One keep-alive connection's requests through a recording listener; the entries, in order. */
  private List<CapturedExchange> recordScript(boolean onNetty) throws Exception {
    if (listeners != null) {
      listeners.closeAll();
      listeners = null;
    }
    nettyPassThrough = onNetty;
    port = freePort();
    captured.clear();
    open(true, 1, target(), EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    boolean forward = mode.equals("forward");
    // In forward mode the request names the upstream, and the client adds its proxy headers.
    String at = forward ? target() : "";
    String host = forward ? "127.0.0.1:" + upstream.actualPort() : "proxy";
    String proxyHeaders = forward ? "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic dTpw\r\n" : "";
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "GET " + at + "/a?q=1 HTTP/1.1\r\nHost: " + host + "\r\nX-Mine: kept\r\nKeep-Alive: timeout=5\r\n" + proxyHeaders + "\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /a?q=1 0");
      write(s, "POST " + at + "/b HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(read(in, false).body()).isEqualTo("upstream saw POST /b 5");
      write(s, "POST " + at + "/echo HTTP/1.1\r\nHost: " + host + "\r\nTE: trailers\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("abcde");
      write(s, "GET " + at + "/big/5000 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertThat(read(in, false).body()).hasSize(5000);
      write(s, "GET " + at + "/status/404 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertThat(read(in, false).status()).isEqualTo("HTTP/1.1 404 Not Found");
      write(s, "GET " + at + "/skip-me HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /skip-me 0");
      write(s, "HEAD " + at + "/h HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertThat(read(in, true).status()).isEqualTo("HTTP/1.1 200 OK");
    }
    awaitCaptures(5);
    Thread.sleep(100); // nothing more comes: the filtered two are not recorded
    assertThat(captured).hasSize(5);
    return List.copyOf(captured);
  }

  /** {@link #recordScript}'s five entries, the same from both paths but for what differs from run to run. */
  private void assertSameEntries(List<CapturedExchange> onNetty, List<CapturedExchange> onVertx) {
    assertThat(onNetty).extracting(x -> x.getRequest().getMethod() + " " + x.getRequest().getUrl())
        .containsExactly(
            "GET " + target() + "/a?q=1", "POST " + target() + "/b", "POST " + target() + "/echo",
            "GET " + target() + "/big/5000", "HEAD " + target() + "/h");
    assertThat(onVertx).hasSameSizeAs(onNetty);
    for (int i = 0; i < onVertx.size(); i++) {
      assertThat(comparable(onNetty.get(i))).isEqualTo(comparable(onVertx.get(i)));
      assertThat(timed(onNetty.get(i))).isEqualTo(timed(onVertx.get(i)));
    }
  }

  /** An entry without what differs from run to run: its id, times, proxy and client port. */
  private static CapturedExchange comparable(CapturedExchange x) {
    return x.toBuilder().clearEntryId().clearStartedAtUnixMicros().clearTimings().clearClientAddress().build();
  }

  /** Which of an entry's timings were taken (a phase that did not happen is -1), and their order. */
  private static String timed(CapturedExchange x) {
    var t = x.getTimings();
    return "dns " + (t.getDnsMs() >= 0) + ", connect " + (t.getConnectMs() >= 0) + ", tls " + (t.getTlsMs() >= 0)
        + ", send " + (t.getSendMs() >= 0) + ", wait " + (t.getWaitMs() >= 0) + ", receive " + (t.getReceiveMs() >= 0)
        + ", total covers wait " + (t.getTotalMs() >= t.getWaitMs());
  }

  @Test
  void holdsARecordedRequestBackWhileTheSinkIsBehindAndRecordsItAfter() throws Exception {
    open(true, 1, target(), EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    double served = count("tapedeck.proxy.netty.exchanges");
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "GET /first HTTP/1.1\r\nHost: proxy\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /first 0");
      sink.congested = true;
      write(s, "POST /held HTTP/1.1\r\nHost: proxy\r\nContent-Length: 4\r\n\r\nwait");
      s.setSoTimeout(300);
      assertThatThrownBy(in::read).as("no answer while the sink is behind").isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(seen).doesNotContainKey("/held");
      sink.relieve();
      s.setSoTimeout(10_000);
      assertThat(read(in, false).body()).isEqualTo("upstream saw POST /held 4");
    }
    awaitCaptures(2);
    assertThat(captured).extracting(x -> x.getRequest().getUrl()).containsExactly(target() + "/first", target() + "/held");
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served + 2);
    assertThat(listeners.backpressureSeconds("s1")).isGreaterThanOrEqualTo(0.3);
  }

  @Test
  void recordsA502WithWhyAndAResponseTheClientLeftMidway() throws Exception {
    int closed = freePort();
    open(true, 1, "http://127.0.0.1:" + closed, EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    try (Socket s = connect()) {
      write(s, "GET /down HTTP/1.1\r\nHost: p\r\n\r\n");
      assertThat(read(s.getInputStream(), false).status()).isEqualTo("HTTP/1.1 502 Bad Gateway");
    }
    awaitCaptures(1);
    CapturedExchange down = captured.get(0);
    assertThat(down.getResponse().getStatusCode()).isEqualTo(502);
    assertThat(down.getError()).startsWith("Upstream http://127.0.0.1:" + closed + " unreachable: ");
    assertThat(new io.vertx.core.json.JsonObject(down.getResponse().getBody().getData().toStringUtf8()).getString("error"))
        .isEqualTo("bad_gateway");
  }

  private void awaitCaptures(int n) throws InterruptedException {
    awaitUntil(() -> captured.size() >= n);
  }

  /** Waits up to 5 s for {@code done}; the assertions after it say what was missing. */
  private static void awaitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void answersPipelinedRequestsInOrderAndHandsOverOneItCannotServeWithItsBody() throws Exception {
    openPassThrough();
    double handed = count("tapedeck.proxy.netty.handoffs");
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      // All in one write: the third asks for 100-continue, which only the Vert.x path relays.
      write(
          s,
          "GET /1 HTTP/1.1\r\nHost: p\r\n\r\n"
              + "POST /2 HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
              + "PUT /3 HTTP/1.1\r\nHost: p\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nwxyz"
              + "GET /4 HTTP/1.1\r\nHost: p\r\n\r\n");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /1 0");
      assertThat(read(in, false).body()).isEqualTo("upstream saw POST /2 5");
      Response third = read(in, false);
      if (third.status().startsWith("HTTP/1.1 100")) {
        third = read(in, false);
      }
      assertThat(third.body()).isEqualTo("upstream saw PUT /3 4");
      assertThat(read(in, false).body()).isEqualTo("upstream saw GET /4 0");
    }
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 1);
  }

  @Test
  void streamsChunkedBodiesBothWaysWithTrailersAndLargeBodiesIntact() throws Exception {
    openPassThrough();
    var client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
    byte[] sent = pattern(8 * 1024 * 1024 + 17);
    var response =
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/echo").putHeader("te", "trailers"))
            .compose(req -> req.setChunked(true).send(Buffer.buffer(sent)))
            .compose(res -> res.body().map(body -> Map.entry(res, body)))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(response.getKey().statusCode()).isEqualTo(200);
    assertThat(sha(response.getValue().getBytes())).isEqualTo(sha(sent));
    assertThat(response.getKey().trailers().get("x-checked")).isEqualTo("yes");
    assertThat(seen.get("/echo").get("te")).isEqualTo("trailers");

    Buffer big =
        client.request(HttpMethod.GET, "/big/" + (20 * 1024 * 1024))
            .compose(req -> req.send().compose(res -> res.body()))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(sha(big.getBytes())).isEqualTo(sha(pattern(20 * 1024 * 1024)));
  }

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void closesAfterAnHttp10AnswerAndKeepsAConnectionOpenAfterHead() throws Exception {
    openPassThrough();
    try (Socket s = connect()) {
      write(s, "GET /old HTTP/1.0\r\n\r\n");
      Response r = read(s.getInputStream(), false);
      assertThat(r.status()).isEqualTo("HTTP/1.0 200 OK");
      assertThat(r.body()).isEqualTo("upstream saw GET /old 0");
      assertThat(s.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
    }
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      write(s, "HEAD /h HTTP/1.1\r\nHost: p\r\n\r\n");
      Response head = read(in, true);
      assertThat(head.status()).isEqualTo("HTTP/1.1 200 OK");
      write(s, "GET /after-head HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n");
      Response after = read(in, false);
      assertThat(after.body()).isEqualTo("upstream saw GET /after-head 0");
      assertThat(after.headers().get("connection")).isEqualTo("close");
    }
  }

  @Test
  void answers502WhenTheUpstreamIsDownAnd403ThroughVertxWhenEgressRefusesIt() throws Exception {
    int closed = freePort();
    open(false, 1, "http://127.0.0.1:" + closed, EgressPolicy.OPEN);
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    try (Socket s = connect()) {
      write(s, "GET /down HTTP/1.1\r\nHost: p\r\n\r\n");
      Response r = read(s.getInputStream(), false);
      assertThat(r.status()).isEqualTo("HTTP/1.1 502 Bad Gateway");
      assertThat(r.headers().get("content-type")).isEqualTo("application/json");
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("error")).isEqualTo("bad_gateway");
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("message"))
          .startsWith("Upstream http://127.0.0.1:" + closed + " unreachable: ");
      // The connection stays usable.
      write(s, "GET /down-again HTTP/1.1\r\nHost: p\r\n\r\n");
      assertThat(read(s.getInputStream(), false).status()).isEqualTo("HTTP/1.1 502 Bad Gateway");
    }
    listeners.closeAll();
    listeners = null;
    port = freePort();
    open(false, 1, target(), EgressPolicy.of(List.of(), List.of("127.0.0.0/8"), List.of(), List.of(), "443"));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
    double handed = count("tapedeck.proxy.netty.handoffs");
    try (Socket s = connect()) {
      write(s, "GET /refused HTTP/1.1\r\nHost: p\r\n\r\n");
      Response r = read(s.getInputStream(), false);
      assertThat(r.status()).isEqualTo("HTTP/1.1 403 Forbidden");
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("error")).isEqualTo("egress_refused");
    }
    assertThat(seen).doesNotContainKey("/refused");
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 1);
  }

  @Test
  void handsHttp2AndWebSocketClientsToVertx() throws Exception {
    openPassThrough();
    double handed = count("tapedeck.proxy.netty.handoffs");
    var h2 =
        vertx.createHttpClient(
            new HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultPort(port).setDefaultHost("127.0.0.1"));
    var answer =
        h2.request(HttpMethod.GET, "/h2")
            .compose(req -> req.send().compose(res -> res.body().map(b -> res.version() + " " + b)))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(answer).isEqualTo("HTTP_2 upstream saw GET /h2 0");

    var ws = vertx.createWebSocketClient();
    String echoed =
        ws.connect(port, "127.0.0.1", "/ws")
            .compose(socket -> {
              var text = io.vertx.core.Promise.<String>promise();
              socket.textMessageHandler(text::tryComplete);
              return socket.writeTextMessage("over the hand-off").compose(v -> text.future());
            })
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(echoed).isEqualTo("over the hand-off");
    assertThat(count("tapedeck.proxy.netty.handoffs")).isEqualTo(handed + 2);
  }

  @Test
  void aResponseThatBreaksOffReachesTheClientBrokenOff() throws Exception {
    try (ServerSocket broken = new ServerSocket(0)) {
      Thread upstreamThread =
          Thread.ofVirtual().start(() -> {
            try (Socket s = broken.accept()) {
              InputStream in = s.getInputStream();
              while (!line(in).isEmpty()) {
                // the request head
              }
              // A chunk, then a chunk size that is no number: the body cannot be read on.
              s.getOutputStream().write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1));
              s.getOutputStream().flush();
              in.read(); // open until the proxy closes it
            } catch (IOException e) {
              // the test fails on the client's side
            }
          });
      open(false, 1, "http://127.0.0.1:" + broken.getLocalPort(), EgressPolicy.OPEN);
      assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
      try (Socket s = connect()) {
        write(s, "GET /broken HTTP/1.1\r\nHost: p\r\n\r\n");
        InputStream in = s.getInputStream();
        assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
        String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        // The chunk that came, then the connection's end: no last chunk says it was whole.
        assertThat(rest).contains("hello").doesNotContain("\r\n0\r\n");
      }
      upstreamThread.join(5_000);
    }
  }

  @Test
  void whatAnUpstreamSendsAfterAWholeResponseNeverReachesTheClient() throws Exception {
    java.util.concurrent.CompletableFuture<Boolean> closedByProxy = new java.util.concurrent.CompletableFuture<>();
    try (ServerSocket chatty = new ServerSocket(0)) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = chatty.accept()) {
          InputStream in = s.getInputStream();
          while (!line(in).isEmpty()) {
            // the request head
          }
          // A whole response before the request's body is in, then one nobody asked for.
          s.getOutputStream().write(
              ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                  + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra").getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
          in.readNBytes(10);
          closedByProxy.complete(in.read() < 0);
        } catch (IOException e) {
          closedByProxy.completeExceptionally(e);
        }
      });
      open(false, 1, "http://127.0.0.1:" + chatty.getLocalPort(), EgressPolicy.OPEN);
      assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("ok");
      try (Socket s = connect()) {
        write(s, "POST /early HTTP/1.1\r\nHost: p\r\nContent-Length: 10\r\n\r\nabc");
        InputStream in = s.getInputStream();
        Response early = read(in, false);
        assertThat(early.status()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(early.body()).isEqualTo("ok");
        write(s, "defghij");
        assertThat(closedByProxy.get(5, TimeUnit.SECONDS)).as("the upstream connection closed, not kept").isTrue();
        Thread.sleep(200);
        assertThat(in.available()).as("bytes after the whole response").isZero();
      }
    }
  }

  @Test
  void switchedOffEveryConnectionGoesThroughVertx() throws Exception {
    nettyPassThrough = false;
    openPassThrough();
    double served = count("tapedeck.proxy.netty.exchanges");
    try (Socket s = connect()) {
      write(s, "GET /vertx HTTP/1.1\r\nHost: p\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("upstream saw GET /vertx 0");
    }
    assertThat(count("tapedeck.proxy.netty.exchanges")).isEqualTo(served);
  }
}
