package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkRunTest {
  /** A report as wrk 4.1 prints it with --latency, with errors of both kinds. */
  private static final String REPORT =
      """
      Running 10s test @ http://127.0.0.1:8080/payload-1024.bin
        2 threads and 32 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     1.21ms    2.05ms  48.37ms   93.12%
          Req/Sec    14.02k     1.10k   16.51k    71.00%
        Latency Distribution
           50%  620.00us
           75%    1.04ms
           90%    2.50ms
           99%   11.20ms
        279013 requests in 10.00s, 320.12MB read
        Socket errors: connect 0, read 2, write 0, timeout 1
        Non-2xx or 3xx responses: 10
      Requests/sec:  27901.30
      Transfer/sec:     32.01MB
      """;

  @Test
  void readsCountsPercentilesAndErrorsFromTheReport() {
    Load.Result r = WrkRun.parse(REPORT);

    assertThat(r.errors()).isEqualTo(13);
    assertThat(r.requests()).isEqualTo(279_013 - 13);
    assertThat(r.seconds()).isEqualTo(10.0);
    assertThat(r.p50()).isEqualTo(0.62);
    assertThat(r.p90()).isEqualTo(2.5);
    assertThat(r.p99()).isEqualTo(11.2);
    assertThat(r.max()).isEqualTo(48.37);
  }

  @Test
  void aReportWithoutARequestCountIsAnError() {
    assertThatThrownBy(() -> WrkRun.parse("unable to connect to 127.0.0.1:1 Connection refused"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no request count");
  }
}
