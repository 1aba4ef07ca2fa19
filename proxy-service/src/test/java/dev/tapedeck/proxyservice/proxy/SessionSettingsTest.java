package dev.tapedeck.proxyservice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.proto.control.v1.ProxySession;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
  private static ProxySession session(String configJson) {
    return ProxySession.newBuilder()
        .setId("s1")
        .setMode("forward")
        .setListenPort(8081)
        .setRecord(true)
        .setRevision(3)
        .setConfigJson(configJson)
        .build();
  }

  @Test
  void appliesTheContractTheControlPlaneWrites() {
    SessionSettings s =
        SessionSettings.of(
            session(
                "{\"version\":1,\"policies\":{\"filters\":{\"excludeHosts\":[\"ads.example.com\"]}},"
                    + "\"transport\":{\"mitm\":{\"enabled\":true,\"passthroughHosts\":[\"*.bank.com\"]}},"
                    + "\"captureOverflow\":\"drop\",\"durability\":\"acked\"}"));
    assertThat(s.policies().filter().recordsConnection("ads.example.com", 443)).isFalse();
    assertThat(s.intercepts("api.example.com")).isTrue();
    assertThat(s.intercepts("www.bank.com")).isFalse();
    assertThat(s.dropOnOverflow()).isTrue();
    assertThat(s.ackedDurability()).isTrue();
  }

  @Test
  void refusesAFieldThisVersionDoesNotKnowRatherThanRunningWithoutIt() {
    assertThatThrownBy(() -> SessionSettings.of(session("{\"version\":1,\"policies\":{\"filterz\":{}}}")))
        .isInstanceOf(SessionSettings.Rejected.class)
        .hasMessageContaining("policies.filterz");
  }

  @Test
  void refusesANewerContractVersion() {
    assertThatThrownBy(() -> SessionSettings.of(session("{\"version\":3}")))
        .isInstanceOf(SessionSettings.Rejected.class)
        .hasMessageContaining("version 3");
  }

  @Test
  void refusesAPassthroughPatternThatDoesNotCompile() {
    String glob = "a".repeat(1001);
    assertThatThrownBy(
            () ->
                SessionSettings.of(
                    session("{\"version\":1,\"transport\":{\"mitm\":{\"enabled\":true,\"passthroughHosts\":[\"" + glob + "\"]}}}")))
        .isInstanceOf(SessionSettings.Rejected.class)
        .hasMessageContaining("pattern");
  }
}
