package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyBalancerTest {
  @Test
  void configBalancesTcpOverHealthCheckedServersAndRedispatchesRefusals() {
    String config =
        HaproxyBalancer.config(
            8085,
            List.of(
                new HaproxyBalancer.Server("proxy-1", "127.0.0.2", 8085),
                new HaproxyBalancer.Server("proxy-2", "127.0.0.3", 8085)));
    assertThat(config)
        .contains("mode tcp")
        .contains("bind 127.0.0.1:8085")
        .contains("default-server check inter 200ms fall 1 rise 1")
        .contains("option redispatch 1")
        .contains("server proxy-1 127.0.0.2:8085\n")
        .contains("server proxy-2 127.0.0.3:8085\n")
        .doesNotContain("shutdown-sessions");
  }
}
