package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BalancedConnectionTest {
  @Test
  void parsesHaproxysConnectionLine() {
    BalancedConnection c =
        BalancedConnection.parse("conn 127.0.0.1:51400 1795434109001 proxies/proxy-1 0 29 0 SD 0")
            .orElseThrow();
    assertThat(c.clientPort()).isEqualTo(51400);
    assertThat(c.acceptedAtMillis()).isEqualTo(1795434109001L);
    assertThat(c.server()).isEqualTo("proxy-1");
    assertThat(c.totalMillis()).isEqualTo(29);
    assertThat(c.bytesToClient()).isZero();
    assertThat(c.termination()).isEqualTo("SD");
    assertThat(c.redispatched()).isFalse();
    assertThat(c.endedAtMillis()).isEqualTo(1795434109030L);
  }

  @Test
  void tellsRedispatchedConnectionsAndSkipsOtherLines() {
    assertThat(
            BalancedConnection.parse("conn 127.0.0.1:1 1795434109001 proxies/proxy-2 -1 7 1322 -- +1")
                .orElseThrow()
                .redispatched())
        .isTrue();
    assertThat(
            BalancedConnection.parse(
                "Server proxies/proxy-1 is DOWN, reason: Layer4 connection problem"))
        .isEmpty();
  }
}
