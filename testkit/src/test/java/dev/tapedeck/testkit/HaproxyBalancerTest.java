package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxyBalancerTest {
  @Test
  void configBalancesTcpOverHealthCheckedServersAndRedispatchesRefusals() {
    String config =
        HaproxyBalancer.config(
            8085,
            List.of(
                new HaproxyBalancer.Server("proxy-1", "127.0.0.2", 8085),
                new HaproxyBalancer.Server("proxy-2", "127.0.0.3", 8085)),
            Path.of("/tmp/lb/haproxy.sock"));
    assertThat(config)
        .contains("mode tcp")
        .contains("nbthread 1")
        .contains("stats socket /tmp/lb/haproxy.sock mode 600 level user")
        .contains("bind 127.0.0.1:8085")
        .contains("default-server check inter 200ms fall 1 rise 1")
        .contains("option redispatch 1")
        .contains("server proxy-1 127.0.0.2:8085\n")
        .contains("server proxy-2 127.0.0.3:8085\n")
        .doesNotContain("shutdown-sessions");
  }

  /**
   * Tests match each request to the line HAProxy logged for its connection, so no line may be
   * missing, even with both cores busy (a clean-clone run once lost one when HAProxy ran two
   * threads).
   */
  @Test
  void logsEveryConnectionOfABusyLoad(@TempDir Path work) throws Exception {
    assumeTrue(HaproxyBalancer.binary().isPresent(), "haproxy is not installed");
    try (UpstreamServer one =
            UpstreamServer.start().route("GET", "/load", req -> UpstreamResponse.text(200, "1"));
        UpstreamServer two =
            UpstreamServer.start().route("GET", "/load", req -> UpstreamResponse.text(200, "2"));
        HaproxyBalancer balancer =
            HaproxyBalancer.start(
                work,
                Ports.free(),
                List.of(
                    new HaproxyBalancer.Server("one", "127.0.0.1", one.port()),
                    new HaproxyBalancer.Server("two", "127.0.0.1", two.port())))) {
      SteadyLoad load = SteadyLoad.start("127.0.0.1", balancer.port(), "/load", 8, Duration.ZERO);
      Thread.sleep(2_000);
      List<SteadyLoad.Outcome> outcomes = load.stop();
      assertThat(outcomes).hasSizeGreaterThan(200).allMatch(SteadyLoad.Outcome::ok);

      Set<Integer> logged = Set.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        logged =
            balancer.connections().stream()
                .map(BalancedConnection::clientPort)
                .collect(Collectors.toSet());
        if (logged.size() >= outcomes.size()) {
          break;
        }
        Thread.sleep(50);
      }
      Set<Integer> ports = logged;
      assertThat(outcomes)
          .as("requests whose connection HAProxy did not log")
          .filteredOn(o -> !ports.contains(o.localPort()))
          .isEmpty();
      assertThat(balancer.droppedLogs()).as("log lines HAProxy dropped").isZero();
      assertThat(balancer.connections())
          .extracting(BalancedConnection::server)
          .contains("one", "two");
    }
  }
}
