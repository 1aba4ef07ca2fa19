package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyLoadTest {
  @Test
  void acceptsOnlyAWhole200Response() {
    assertThat(check("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).isNull();
    assertThat(check("")).isEqualTo("connection closed before any response");
    assertThat(check("HTTP/1.1 200 OK\r\nContent-Le")).contains("within the response head");
    assertThat(check("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")).contains("502");
    assertThat(check("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok")).contains("2 bytes");
  }

  @Test
  void sendsUniquePathsOneConnectionEachAndRecordsOutcomes() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/load", req -> UpstreamResponse.text(200, "ok"))) {
      SteadyLoad load = SteadyLoad.start("127.0.0.1", upstream.port(), "/load", 2, Duration.ofMillis(5));
      while (load.finished() < 10) {
        Thread.sleep(10);
      }
      List<SteadyLoad.Outcome> outcomes = load.stop();
      assertThat(outcomes).allMatch(SteadyLoad.Outcome::ok);
      assertThat(outcomes).extracting(SteadyLoad.Outcome::path).doesNotHaveDuplicates();
      assertThat(outcomes).extracting(SteadyLoad.Outcome::localPort).allMatch(p -> p > 0);
      assertThat(upstream.requests()).hasSize(outcomes.size());
    }
  }

  @Test
  void countsARefusedConnectionAsAFailure() throws Exception {
    int closed = Ports.free();
    SteadyLoad load = SteadyLoad.start("127.0.0.1", closed, "/load", 1, Duration.ofMillis(5));
    while (load.finished() < 1) {
      Thread.sleep(10);
    }
    List<SteadyLoad.Outcome> outcomes = load.stop();
    assertThat(outcomes).noneMatch(SteadyLoad.Outcome::ok);
    assertThat(outcomes.getFirst().error()).contains("Connect");
  }

  private static String check(String response) {
    return SteadyLoad.check(response.getBytes(StandardCharsets.ISO_8859_1));
  }
}
