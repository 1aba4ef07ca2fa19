package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pacing, through the in-process load generator against the in-process upstream, over loopback. */
class LoadTest {
  private static Vertx vertx;
  private static PayloadUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = PayloadUpstream.start(vertx);
  }

  @AfterAll
  static void stop() {
    upstream.close();
    vertx.close();
  }

  @Test
  void thePauseSpreadsTheConnectionsOverTheRate() {
    Load load = new Load(vertx, 32, Duration.ZERO, Duration.ofSeconds(1));

    assertThat(load.pauseFor(1_000)).isEqualTo(Duration.ofMillis(32));
    assertThat(load.pauseFor(3_200)).isEqualTo(Duration.ofMillis(10));
    // wrk counts whole milliseconds: never less than one, never zero (which means no pause).
    assertThat(load.pauseFor(1_000_000)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aPacedRunHoldsNearItsRateWhereAFullSpeedOneDoesNot() throws Exception {
    String path = Nginx.payloadPath(1024);
    Load.Result paced =
        LoadRun.run(vertx, upstream.port(), path, 4, false, Duration.ZERO, Duration.ofSeconds(2), Duration.ofMillis(20));
    Load.Result full =
        LoadRun.run(vertx, upstream.port(), path, 4, false, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO);

    // 4 connections, each waiting 20 ms before each request: at most 200 a second.
    assertThat(paced.errors()).isZero();
    assertThat(paced.rps()).isBetween(100.0, 200.0);
    assertThat(full.errors()).isZero();
    assertThat(full.rps()).isGreaterThan(2 * paced.rps());
  }
}
