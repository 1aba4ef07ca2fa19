package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A session that sends its upstream traffic through another HTTP proxy ({@code upstreamProxy}),
 * and one that tells the upstream it was there ({@code forwardedHeaders}). The other proxy is a
 * second recording proxy in forward mode, so what reached it is on record too.
 */
class ChainingTest extends ProxyTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<CapturedExchange> capturedByChained = new CopyOnWriteArrayList<>();

  private int startReverse(String target, Map<String, Object> transport) throws Exception {
    return startProxy(
        SessionSettings.of(
            ProxySession.newBuilder()
                .setId("s1")
                .setMode("reverse")
                .setTargetUrl(target)
                .setRecord(true)
                .setCaptureBodyLimitBytes(1 << 20)
                .setRevision(1)
                .setConfigJson(JSON.writeValueAsString(Map.of("version", 1, "transport", transport)))
                .build()));
  }

  private int startChainedForwardProxy() throws Exception {
    RecordingProxy chained =
        RecordingProxy.of(vertx, settings("forward", "", true, 1 << 20, 1), capturedByChained::add, "chained");
    return await(vertx.createHttpServer().requestHandler(chained).listen(0, "127.0.0.1")).actualPort();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void plainHttpGoesThroughTheUpstreamProxyAsAnAbsoluteUriRequest() throws Exception {
    int chained = startChainedForwardProxy();
    int port =
        startReverse("http://127.0.0.1:" + upstreamPort(), Map.of("upstreamProxy", "http://127.0.0.1:" + chained));

    HttpResponse<String> response = get("http://127.0.0.1:" + port + "/hello?name=chain");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"hello\":\"chain\"}");
    assertThat(awaitCaptured(1).get(0).getRequest().getUrl()).endsWith("/hello?name=chain");
    awaitChained(1);
    assertThat(capturedByChained.get(0).getRequest().getUrl())
        .isEqualTo("http://127.0.0.1:" + upstreamPort() + "/hello?name=chain");
  }

  @Test
  void httpsGoesThroughTheUpstreamProxyAsATunnel() throws Exception {
    int tlsUpstream = startHttpsUpstream();
    int chained = startChainedForwardProxy();
    int port =
        startReverse(
            "https://localhost:" + tlsUpstream,
            Map.of(
                "upstreamProxy", "http://127.0.0.1:" + chained,
                "upstreamTls", Map.of("caPem", TestCa.pem(TestCa.upstreamCertificate()))));

    HttpResponse<String> response = get("http://127.0.0.1:" + port + "/hello?name=tunnel");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"hello\":\"tunnel\"}");
    proxy.close(); // closes the upstream connection, so the chained proxy records its tunnel
    awaitChained(1);
    assertThat(capturedByChained.get(0).getEntryType()).isEqualTo(EntryType.TUNNEL);
    assertThat(capturedByChained.get(0).getTunnel().getPort()).isEqualTo(tlsUpstream);
  }

  @Test
  void forwardedHeadersAreAddedOnlyWhenTheSessionAsks() throws Exception {
    int plain = startReverse("http://127.0.0.1:" + upstreamPort(), Map.of());
    String without = get("http://127.0.0.1:" + plain + "/headers").body();
    int telling = startReverse("http://127.0.0.1:" + upstreamPort(), Map.of("forwardedHeaders", true));
    String with = get("http://127.0.0.1:" + telling + "/headers").body();

    assertThat(without).doesNotContain("via:").doesNotContain("x-forwarded");
    assertThat(with)
        .contains("via: 1.1 tapedeck\n")
        .contains("x-forwarded-for: 127.0.0.1\n")
        .contains("x-forwarded-proto: http\n")
        .contains("x-forwarded-host: 127.0.0.1:" + telling + "\n");
  }

  private void awaitChained(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (capturedByChained.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(capturedByChained).hasSizeGreaterThanOrEqualTo(count);
  }
}
