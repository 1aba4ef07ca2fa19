package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void theFixedSetAndTheNamesConnectionListsAreHopByHopInAnyCase() {
    HopByHop hop = HopByHop.of(MultiMap.caseInsensitiveMultiMap().add("Connection", "keep-alive, X-Trace ,close"));
    assertThat(hop.contains("Transfer-Encoding")).isTrue();
    assertThat(hop.contains("KEEP-ALIVE")).isTrue();
    assertThat(hop.contains("x-trace")).isTrue();
    assertThat(hop.contains("Close")).isTrue();
    assertThat(hop.contains("Content-Type")).isFalse();
  }

  @Test
  void withoutOwnNamesOnlyTheFixedSetIsHopByHop() {
    HopByHop none = HopByHop.of(MultiMap.caseInsensitiveMultiMap());
    HopByHop close = HopByHop.of(MultiMap.caseInsensitiveMultiMap().add("connection", "close"));
    assertThat(none.contains("Upgrade")).isTrue();
    assertThat(none.contains("close")).isFalse();
    assertThat(close.contains("close")).isTrue();
    assertThat(close.contains("x-trace")).isFalse();
    for (String value : new String[] {"Keep-Alive", " close ", "CLOSE", "keep-alive, close"}) {
      HopByHop hop = HopByHop.of(MultiMap.caseInsensitiveMultiMap().add("Connection", value));
      assertThat(hop.contains("close")).as(value).isEqualTo(value.toLowerCase().contains("close"));
      assertThat(hop.contains("keep-alive")).as(value).isTrue();
    }
  }

  @Test
  void namesOfEveryLengthAndManyOfThemAreFoundAndOnlyThem() {
    String longName = "x-" + "a".repeat(70);
    StringBuilder many = new StringBuilder(longName);
    for (int i = 0; i < 40; i++) {
      many.append(", X-Own-").append(i);
    }
    for (String connection : new String[] {longName + ", te", many.toString()}) {
      HopByHop hop = HopByHop.of(MultiMap.caseInsensitiveMultiMap().add("Connection", connection));
      assertThat(hop.contains(longName.toUpperCase())).as(connection).isTrue();
      assertThat(hop.contains("x-" + "a".repeat(71))).isFalse();
      assertThat(hop.contains("x-" + "b".repeat(70))).isFalse();
      assertThat(hop.contains("TE")).isTrue();
      assertThat(hop.contains("Host")).isFalse();
    }
    HopByHop hop = HopByHop.of(MultiMap.caseInsensitiveMultiMap().add("Connection", many.toString()));
    assertThat(hop.contains("x-own-39")).isTrue();
    assertThat(hop.contains("x-own-40")).isFalse();
  }
}
