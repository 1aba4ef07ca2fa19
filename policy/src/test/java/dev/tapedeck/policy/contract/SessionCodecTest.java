package dev.tapedeck.policy.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionCodecTest {
  /** Every field of the contract set, as the control plane would send it. */
  static final String FULL =
      """
      {"version": 1,
       "policies": {
         "filters": {"includeHosts": ["*.example.com"], "excludeHosts": ["ads.example.com"],
                     "includePaths": ["/api/*"], "excludePaths": ["/health"], "includeMethods": ["GET"],
                     "excludeStatus": [404]},
         "toxics": {"seed": 42, "http": {"delayMs": 200, "delayJitter": 10, "errorRate": 0.5, "errorStatus": 504,
                    "bandwidthKBps": 50, "slowReadKBps": 10},
                    "websocket": {"delayMs": 100, "errorRate": 0.1},
                    "connection": {"resetRate": 0.01, "closeAfterBytes": 1000, "stallMs": 5, "stallRate": 1.0}},
         "modifications": {"requestHeaders": [{"action": "add", "name": "X-A", "value": "1", "secret": true}],
                           "responseHeaders": [{"action": "remove", "name": "Server"}],
                           "urlRewrites": [{"match": "/v1/(.*)", "replace": "/v2/$1"}],
                           "bodyReplacements": [{"match": "a", "replace": "b", "isRegex": false, "target": "response"}]},
         "networkProfile": {"name": "3g", "latencyMs": 200, "jitterMs": 50, "downloadKBps": 200, "uploadKBps": 94,
                            "loss": 0.01},
         "dnsMap": {"api.example.com": "127.0.0.1"},
         "chaos": {"enabled": true, "latency": {"min": "10ms", "max": "20ms", "probability": 0.5}}},
       "transport": {"mitm": {"enabled": true, "passthroughHosts": ["*.bank.com"]},
                     "upstreamTls": {"insecureSkipVerify": true}, "upstreamProxy": "http://p:3128",
                     "forwardedHeaders": true, "proxyAuth": {"header": "X-Key", "value": "s3cret"}},
       "captureOverflow": "drop",
       "durability": "acked"}
      """;

  @Test
  void whatTheControlPlaneWritesTheProxyReadsBackUnchanged() throws Exception {
    SessionContract read = SessionCodec.read(FULL);
    assertThat(read.policies().toxics().websocket().delayMs()).isEqualTo(100);
    assertThat(read.transport().proxyAuth().value()).isEqualTo("s3cret");
    assertThat(read.dropOnOverflow()).isTrue();
    assertThat(read.ackedDurability()).isTrue();
    assertThat(SessionCodec.read(SessionCodec.write(read))).isEqualTo(read);
  }

  @Test
  void anUnknownFieldIsRefusedByItsPath() {
    String unknown = FULL.replace("\"includeMethods\"", "\"includeMethodz\"");
    assertThatThrownBy(() -> SessionCodec.read(unknown))
        .isInstanceOf(SessionCodec.Unreadable.class)
        .hasMessageContaining("policies.filters.includeMethodz");
  }

  @Test
  void aNewerVersionIsRefusedSayingWhichVersionsThisProxyReads() {
    assertThatThrownBy(() -> SessionCodec.read("{\"version\": 3}"))
        .isInstanceOf(SessionCodec.Unreadable.class)
        .hasMessageContaining("version 3")
        .hasMessageContaining("versions 1 to 2");
  }

  @Test
  void aSessionWithoutMocksIsStillWrittenAsVersionOneForPodsOfThePreviousRelease() throws Exception {
    String plain = SessionCodec.write(SessionContract.of(null, null, null, null, Playback.NONE));
    assertThat(plain).contains("\"version\":1").doesNotContain("playback");
    assertThat(SessionCodec.read(plain).playbackOrNone()).isEqualTo(Playback.NONE);
  }

  @Test
  void playbackAndMapLocalTravelAsVersionTwo() throws Exception {
    Playback playback = new Playback("playback", true, "checkout", 3);
    String written = SessionCodec.write(SessionContract.of(null, null, null, null, playback));
    assertThat(written).contains("\"version\":2");
    assertThat(SessionCodec.read(written).playbackOrNone()).isEqualTo(playback);
  }

  @Test
  void playbackInAVersionOneContractIsRefused() {
    assertThatThrownBy(() -> SessionCodec.read("{\"version\": 1, \"playback\": {\"trafficMode\": \"playback\"}}"))
        .isInstanceOf(SessionCodec.Unreadable.class)
        .hasMessageContaining("playback");
    assertThatThrownBy(
            () -> SessionCodec.read(
                    "{\"version\": 2, \"playback\": {\"trafficMode\": \"playback\", \"mapLocal\": false,"
                        + " \"namespace\": \"a\", \"sequenceEpoch\": 0, \"x\": 1}}"))
        .hasMessageContaining("playback.x");
  }

  @Test
  void aContractWithoutVersionOrOfTheWrongShapeIsRefused() {
    assertThatThrownBy(() -> SessionCodec.read("{\"policies\": {}}")).hasMessageContaining("no version");
    assertThatThrownBy(() -> SessionCodec.read("{\"version\": 1, \"policies\": {\"dnsMap\": [1]}}"))
        .hasMessageContaining("policies.dnsMap");
    assertThatThrownBy(() -> SessionCodec.read("{not json")).hasMessageContaining("not JSON");
  }

  @Test
  void noContractMeansTheDefaults() throws Exception {
    assertThat(SessionCodec.read("")).isEqualTo(SessionContract.DEFAULT);
    assertThat(SessionCodec.read("{\"version\": 1}")).isEqualTo(SessionContract.DEFAULT);
  }
}
