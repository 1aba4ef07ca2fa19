package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate the paced runs take their share of: what a target keeps up with, storing included. */
class SustainedRateTest {
  private static final Duration LOAD = Duration.ofSeconds(10);

  private static ProxyBenchmark.Run run(long requests) {
    return new ProxyBenchmark.Run(new Load.Result(requests, 0, 10, 1, 2, 3, 4), 0, new double[3]);
  }

  private static ProxyBenchmark.Stored stored(long answered, double drainSeconds) {
    return new ProxyBenchmark.Stored(answered, answered, answered, 0, drainSeconds, Double.NaN, Double.NaN, Double.NaN);
  }

  @Test
  void aTargetThatDoesNotRecordSustainsItsMedianRate() {
    assertThat(ProxyBenchmark.sustainedRate(List.of(run(30_000), run(10_000), run(20_000)), null, LOAD))
        .isEqualTo(2_000);
  }

  @Test
  void aRecordingTargetCountsTheTimeStorageTookAfterTheLoad() {
    // 40,000 answered in 10 s, all stored 6 s later: 2,500 a second sustained, not 4,000.
    List<ProxyBenchmark.Run> runs = List.of(run(40_000), run(40_000), run(40_000));
    List<ProxyBenchmark.Stored> stored = List.of(stored(40_000, 6), stored(40_000, 0), stored(40_000, 10));

    assertThat(ProxyBenchmark.sustainedRate(runs, stored, LOAD)).isCloseTo(2_500, within(0.01));
  }
}
