package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.policy.mock.CompiledMock;
import dev.tapedeck.policy.mock.MockSet;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import dev.tapedeck.proxyservice.proxy.spi.MockCatalog;
import io.vertx.core.Future;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Map Local and playback through a real proxy and upstream on loopback, with mocks held in memory. */
class MockAnswersTest extends PolicyTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<MockCatalog.Invocation> invocations = new CopyOnWriteArrayList<>();
  private final List<String> askedFor = new CopyOnWriteArrayList<>();

  private MockCatalog catalog(String... mappings) throws Exception {
    List<CompiledMock> mocks = new java.util.ArrayList<>();
    for (int i = 0; i < mappings.length; i++) {
      mocks.add(CompiledMock.compile("m" + i, 5, true, JSON.readTree(mappings[i])));
    }
    MockSet set = new MockSet(mocks);
    return new MockCatalog() {
      @Override
      public Future<MockSet> mocks(String ownerId, String namespace) {
        askedFor.add(ownerId + "/" + namespace);
        return Future.succeededFuture(set);
      }

      @Override
      public void invoked(Invocation invocation) {
        invocations.add(invocation);
      }
    };
  }

  private SessionSettings session(String playback, String policies) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setOwnerId("carol")
            .setMode("reverse")
            .setTargetUrl("http://127.0.0.1:" + upstreamPort())
            .setRecord(true)
            .setCaptureBodyLimitBytes(1 << 20)
            .setConfigJson("{\"version\":2,\"policies\":" + policies + ",\"playback\":" + playback + "}")
            .setRevision(1)
            .build());
  }

  private int start(SessionSettings settings, MockCatalog catalog) throws Exception {
    proxy = RecordingProxy.of(vertx, settings, captured::add, "test-proxy", InterceptionCaSource.NONE, ListenerOptions.OPEN.withMocks(catalog));
    return await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  void mapLocalAnswersAMatchingRequestWithoutTheUpstreamAndForwardsTheRest() throws Exception {
    MockCatalog mocks =
        catalog("{\"request\": {\"method\": \"GET\", \"urlPath\": \"/seen/mocked\"},"
            + " \"response\": {\"status\": 203, \"headers\": {\"Content-Type\": \"text/plain\"}, \"body\": \"from the mock\"}}");
    int port =
        start(
            session(
                "{\"trafficMode\":\"record\",\"mapLocal\":true,\"namespace\":\"stripe\",\"sequenceEpoch\":0}",
                "{\"modifications\":{\"responseHeaders\":[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\"1\"}]}}"),
            mocks);
    HttpResponse<String> mocked = get(port, "/seen/mocked");
    assertThat(mocked.statusCode()).isEqualTo(203);
    assertThat(mocked.body()).isEqualTo("from the mock");
    // The response steps apply to a mock's answer as to an upstream one.
    assertThat(mocked.headers().firstValue("X-Rule")).hasValue("1");
    assertThat(get(port, "/seen/live").body()).isEqualTo("seen /seen/live");
    assertThat(upstreamUris).containsExactly("/seen/live");
    assertThat(askedFor).allSatisfy(k -> assertThat(k).isEqualTo("carol/stripe"));

    List<CapturedExchange> recorded = awaitCaptured(2);
    CapturedExchange mockedEntry = recorded.stream().filter(x -> x.getRequest().getUrl().endsWith("/mocked")).findFirst().orElseThrow();
    CapturedExchange liveEntry = recorded.stream().filter(x -> x.getRequest().getUrl().endsWith("/live")).findFirst().orElseThrow();
    assertThat(mockedEntry.getFlags().getMapLocal()).isTrue();
    assertThat(mockedEntry.getResponse().getStatusCode()).isEqualTo(203);
    assertThat(liveEntry.getFlags().getMapLocal()).isFalse();
    assertThat(invocations).singleElement().satisfies(i -> {
      assertThat(i.mockId()).isEqualTo("m0");
      assertThat(i.ownerId()).isEqualTo("carol");
      assertThat(i.url()).isEqualTo("/seen/mocked");
    });
  }

  @Test
  void playbackMatchesTheBodyAndAnswersAMissWithTheClosestMocks() throws Exception {
    MockCatalog mocks =
        catalog("{\"request\": {\"method\": \"POST\", \"urlPath\": \"/echo\", \"bodyPatterns\": [{\"equalTo\": \"five\"}]},"
            + " \"response\": {\"status\": 201, \"body\": \"created\"}}");
    int port = start(session("{\"trafficMode\":\"playback\",\"mapLocal\":false,\"namespace\":\"default\",\"sequenceEpoch\":0}", "{}"), mocks);
    HttpResponse<String> hit = send(port, "POST", "/echo", "five");
    assertThat(hit.statusCode()).isEqualTo(201);
    assertThat(hit.body()).isEqualTo("created");
    HttpResponse<String> miss = send(port, "POST", "/echo", "six");
    assertThat(miss.statusCode()).isEqualTo(404);
    assertThat(miss.headers().firstValue("X-Tapedeck-Playback")).hasValue("miss");
    assertThat(miss.body()).contains("\"error\":\"no_mock_matched\"", "\"field\":\"body\"", "six");
    assertThat(upstreamUris).isEmpty();

    List<CapturedExchange> recorded = awaitCaptured(2);
    CapturedExchange missEntry = recorded.stream().filter(x -> x.getResponse().getStatusCode() == 404).findFirst().orElseThrow();
    assertThat(missEntry.getFlags().getPlaybackMiss()).isTrue();
    assertThat(missEntry.getRequest().getBody().getData().toString(StandardCharsets.UTF_8)).isEqualTo("six");
  }
}
