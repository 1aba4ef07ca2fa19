package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The egress policy with the cluster defaults (loopback, link-local, private ranges refused,
 * CONNECT to 443 and 80 only) against a real loopback upstream: refused targets get a 403 in the
 * API's error shape and a recorded entry flagged refused, and nothing reaches the upstream.
 */
class EgressPolicyTest extends ProxyTestBase {
  private static final List<String> INTERNAL = List.copyOf(EgressPolicy.INTERNAL_RANGES.keySet());
  private static final EgressPolicy CLUSTER = EgressPolicy.of(List.of(), INTERNAL, List.of(), List.of(), "443,80");

  private int start(SessionSettings settings, EgressPolicy policy) throws Exception {
    proxy =
        RecordingProxy.of(
            vertx, settings, captured::add, "test-proxy", InterceptionCaSource.NONE, ListenerOptions.OPEN.withEgress(policy));
    return await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();
  }

  static SessionSettings withConfig(String mode, String target, String configJson) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode(mode)
            .setTargetUrl(target)
            .setRecord(true)
            .setCaptureBodyLimitBytes(4096)
            .setRevision(1)
            .setConfigJson(configJson)
            .build());
  }

  private static JsonObject body(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  private CapturedExchange onlyEntry() throws InterruptedException {
    List<CapturedExchange> entries = awaitCaptured(1);
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  @Test
  void refusesAReverseTargetOnLoopbackWith403AndARefusedEntry() throws Exception {
    int port = start(settings("reverse", "http://127.0.0.1:" + upstreamPort(), true, 4096, 1), CLUSTER);
    String response = rawExchange(port, "GET /hello?name=x HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    JsonObject error = body(response);
    assertThat(error.getString("error")).isEqualTo("egress_refused");
    assertThat(error.getString("message")).contains("127.0.0.1").contains("denyCidrs 127.0.0.0/8, loopback");
    CapturedExchange x = onlyEntry();
    assertThat(x.getFlags().getRefused()).isTrue();
    assertThat(x.getError()).startsWith("egress_refused").contains("127.0.0.1");
    assertThat(x.getResponse().getStatusCode()).isEqualTo(403);
    assertThat(upstreamSawHeaders).isEmpty();
  }

  @Test
  void refusesTheCloudMetadataAddressInForwardMode() throws Exception {
    int port = start(settings("forward", "", true, 4096, 1), CLUSTER);
    String response =
        rawExchange(port, "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains("169.254.169.254").contains("169.254.0.0/16, link-local");
    CapturedExchange x = onlyEntry();
    assertThat(x.getFlags().getRefused()).isTrue();
    assertThat(x.getRequest().getUrl()).isEqualTo("http://169.254.169.254/latest/meta-data/");
  }

  @Test
  void refusesANameThatResolvesToLoopback() throws Exception {
    int port = start(settings("forward", "", true, 4096, 1), CLUSTER);
    String response =
        rawExchange(
            port, "GET http://localhost:" + upstreamPort() + "/hello HTTP/1.1\r\nHost: localhost:" + upstreamPort() + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains("(localhost)").contains("loopback");
    assertThat(onlyEntry().getFlags().getRefused()).isTrue();
    assertThat(upstreamSawHeaders).isEmpty();
  }

  @Test
  void refusesADnsMapEntryPointingAtLoopback() throws Exception {
    int port =
        start(withConfig("forward", "", "{\"version\":1,\"policies\":{\"dnsMap\":{\"api.example.com\":\"127.0.0.1\"}}}"), CLUSTER);
    String response =
        rawExchange(
            port,
            "GET http://api.example.com:" + upstreamPort() + "/hello HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains("127.0.0.1 (api.example.com)");
    assertThat(upstreamSawHeaders).isEmpty();
  }

  @Test
  void allowsAnAddressInAnAllowedCidr() throws Exception {
    EgressPolicy allowOne = EgressPolicy.of(List.of("127.0.0.1/32"), INTERNAL, List.of(), List.of(), "443,80");
    int port = start(settings("reverse", "http://127.0.0.1:" + upstreamPort(), true, 4096, 1), allowOne);
    String response = rawExchange(port, "GET /hello?name=ok HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 200").contains("{\"hello\":\"ok\"}");
    CapturedExchange x = onlyEntry();
    assertThat(x.getFlags().getRefused()).isFalse();
    assertThat(x.getError()).isEmpty();
  }

  @Test
  void allowHostsAdmitANameButNotWhenTheDnsMapRedirectsIt() throws Exception {
    EgressPolicy hosts = EgressPolicy.of(List.of(), INTERNAL, List.of("localhost"), List.of(), "443,80");
    int port = start(settings("reverse", "http://localhost:" + upstreamPort(), true, 4096, 1), hosts);
    assertThat(rawExchange(port, "GET /hello?name=h HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  @Test
  void refusesAConnectToAPortOutside443And80() throws Exception {
    EgressPolicy allowLoopback = EgressPolicy.of(List.of("127.0.0.0/8"), INTERNAL, List.of(), List.of(), "443,80");
    int port = start(settings("forward", "", true, 4096, 1), allowLoopback);
    String authority = "127.0.0.1:" + upstreamPort();
    String response = rawExchange(port, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains(authority).contains("CONNECT ports 443,80");
    CapturedExchange x = onlyEntry();
    assertThat(x.getFlags().getRefused()).isTrue();
    assertThat(x.getRequest().getMethod()).isEqualTo("CONNECT");
  }

  @Test
  void refusesAConnectToAnInternalAddressOnAnAllowedPort() throws Exception {
    int port = start(settings("forward", "", true, 4096, 1), EgressPolicy.of(List.of(), INTERNAL, List.of(), List.of(), "*"));
    String authority = "127.0.0.1:" + upstreamPort();
    String response = rawExchange(port, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains("denyCidrs 127.0.0.0/8");
    assertThat(onlyEntry().getFlags().getRefused()).isTrue();
  }

  @Test
  void refusesAWebSocketToLoopback() throws Exception {
    int port = start(settings("reverse", "http://127.0.0.1:" + upstreamPort(), true, 4096, 1), CLUSTER);
    String response =
        rawExchange(
            port,
            "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("error")).isEqualTo("egress_refused");
    assertThat(onlyEntry().getFlags().getRefused()).isTrue();
  }

  @Test
  void refusesAnUpstreamProxyOnLoopback() throws Exception {
    int port =
        start(
            withConfig("forward", "", "{\"version\":1,\"transport\":{\"upstreamProxy\":\"http://127.0.0.1:" + upstreamPort() + "\"}}"),
            CLUSTER);
    String response =
        rawExchange(port, "GET http://93.184.216.34/ HTTP/1.1\r\nHost: 93.184.216.34\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    assertThat(body(response).getString("message")).contains("upstreamProxy").contains("127.0.0.1");
  }

  @Test
  void proxyAuthInForwardModeAnswers407UntilTheCredentialIsRightAndNeverForwardsIt() throws Exception {
    int port =
        start(
            withConfig("forward", "", "{\"version\":1,\"transport\":{\"proxyAuth\":{\"username\":\"alice\",\"password\":\"s3cret\"}}}"),
            EgressPolicy.OPEN);
    String url = "http://127.0.0.1:" + upstreamPort() + "/headers";
    String missing = rawExchange(port, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(missing).startsWith("HTTP/1.1 407").contains("Proxy-Authenticate: Basic realm=\"tapedeck\"");
    assertThat(body(missing).getString("error")).isEqualTo("proxy_auth_required");
    String wrong =
        rawExchange(port, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Authorization: Basic "
            + java.util.Base64.getEncoder().encodeToString("alice:nope".getBytes()) + "\r\n\r\n");
    assertThat(wrong).startsWith("HTTP/1.1 407");
    String right =
        rawExchange(port, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Authorization: Basic "
            + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes()) + "\r\n\r\n");
    assertThat(right).startsWith("HTTP/1.1 200").doesNotContain("proxy-authorization");
    CapturedExchange x = onlyEntry();
    assertThat(x.getRequest().getHeadersList()).extracting(Header::getName).doesNotContain("Proxy-Authorization");
  }

  @Test
  void proxyAuthInReverseModeAnswers401UntilTheHeaderIsRightAndNeverForwardsIt() throws Exception {
    int port =
        start(
            withConfig(
                "reverse",
                "http://127.0.0.1:" + upstreamPort(),
                "{\"version\":1,\"transport\":{\"proxyAuth\":{\"header\":\"X-Tapedeck-Key\",\"value\":\"k-123\"}}}"),
            EgressPolicy.OPEN);
    String missing = rawExchange(port, "GET /headers HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(missing).startsWith("HTTP/1.1 401");
    assertThat(body(missing).getString("error")).isEqualTo("unauthorized");
    assertThat(rawExchange(port, "GET /headers HTTP/1.1\r\nHost: x\r\nX-Tapedeck-Key: k-12\r\n\r\n")).startsWith("HTTP/1.1 401");
    String right = rawExchange(port, "GET /headers HTTP/1.1\r\nHost: x\r\nX-Tapedeck-Key: k-123\r\n\r\n");
    assertThat(right).startsWith("HTTP/1.1 200").doesNotContain("x-tapedeck-key");
    CapturedExchange x = onlyEntry();
    assertThat(x.getRequest().getHeadersList()).extracting(Header::getName).doesNotContain("X-Tapedeck-Key");
  }

  @Test
  void chainsThroughAnUpstreamProxyNamedByHostAtTheAddressItChecked() throws Exception {
    List<CapturedExchange> chainedSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingProxy chained = RecordingProxy.of(vertx, settings("forward", "", true, 4096, 1), chainedSaw::add, "chained");
    int chainedPort = await(vertx.createHttpServer().requestHandler(chained).listen(0, "127.0.0.1")).actualPort();
    EgressPolicy metadataOnly = EgressPolicy.of(List.of(), List.of("169.254.0.0/16"), List.of(), List.of(), "*");
    int port =
        start(withConfig("forward", "", "{\"version\":1,\"transport\":{\"upstreamProxy\":\"http://localhost:" + chainedPort + "\"}}"), metadataOnly);
    String authority = "127.0.0.1:" + upstreamPort();
    String plain = rawExchange(port, "GET http://" + authority + "/hello?name=via HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertThat(plain).startsWith("HTTP/1.1 200").contains("{\"hello\":\"via\"}");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
      s.getOutputStream().write(("GET /hello?name=tunnel HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (chainedSaw.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(chainedSaw).extracting(x -> x.getRequest().getMethod()).containsExactlyInAnyOrder("GET", "CONNECT");
    String metadata = rawExchange(port, "GET http://169.254.169.254/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n");
    assertThat(metadata).startsWith("HTTP/1.1 403");
  }
}
