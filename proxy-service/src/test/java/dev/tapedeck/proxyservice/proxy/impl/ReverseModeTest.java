package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.Timings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reverse mode between a real JDK HTTP client and a real Vert.x upstream, over loopback. */
class ReverseModeTest extends ProxyTestBase {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private int startProxy(String target, long captureLimit) throws Exception {
    return startProxy(settings("reverse", target, true, captureLimit, 1));
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
    assertThat(x.getEntryType()).isEqualTo(EntryType.HTTP);
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
  void timesDnsAndConnectOnAFreshUpstreamConnectionAndNotOnAReusedOne() throws Exception {
    int port = startProxy("http://localhost:" + upstream.actualPort(), 1 << 20);
    for (int i = 0; i < 2; i++) {
      client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=" + i)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    List<CapturedExchange> xs = awaitCaptured(2);
    Timings fresh = xs.get(0).getTimings();
    assertThat(fresh.getDnsMs()).as("localhost was resolved").isGreaterThanOrEqualTo(0);
    assertThat(fresh.getConnectMs()).isGreaterThanOrEqualTo(0);
    assertThat(fresh.getTlsMs()).as("plain HTTP has no handshake").isEqualTo(-1);
    assertThat(fresh.getTotalMs()).isGreaterThanOrEqualTo(fresh.getDnsMs() + fresh.getConnectMs());
    assertThat(xs.get(0).getServerAddress()).isEqualTo("127.0.0.1:" + upstream.actualPort());
    Timings reused = xs.get(1).getTimings();
    assertThat(reused.getDnsMs()).as("no lookup on a pooled connection").isEqualTo(-1);
    assertThat(reused.getConnectMs()).isEqualTo(-1);
    assertThat(reused.getTotalMs()).isGreaterThan(0);
    assertThat(xs.get(1).getRequest().getUrl()).startsWith("http://localhost:");
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
    int port = startProxy("http://127.0.0.1:" + deadPort(), 1 << 20);
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

  @Test
  void passthroughForwardsWithoutRecording() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + upstreamPort(), false, 1 << 20, 1));
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=quiet")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("{\"hello\":\"quiet\"}");
    Thread.sleep(200);
    assertThat(captured).isEmpty();
  }
}
