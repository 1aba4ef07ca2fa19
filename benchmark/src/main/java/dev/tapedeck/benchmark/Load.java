package dev.tapedeck.benchmark;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * One load case against one port: {@code wrk} when it is installed ({@code make bench} installs the
 * Debian package), else the in-process {@link LoadRun}. Both are closed loops of a fixed number of
 * connections, keep-alive unless the case is cold.
 */
final class Load {
  /** What one run measured; latencies in milliseconds, send to last byte. */
  record Result(long requests, long errors, double seconds, double p50, double p90, double p99, double max) {
    double rps() {
      return requests / seconds;
    }

    /** The run whose throughput is the median of {@code runs} (the lower middle one of an even count). */
    static Result median(List<Result> runs) {
      List<Result> sorted = runs.stream().sorted(Comparator.comparingDouble(Result::rps)).toList();
      return sorted.get((sorted.size() - 1) / 2);
    }
  }

  private final Vertx vertx;
  private final boolean wrk;
  private final int connections;
  private final Duration warmup;
  private final Duration duration;

  Load(Vertx vertx, int connections, Duration warmup, Duration duration) {
    this.vertx = vertx;
    this.wrk = WrkRun.installed();
    this.connections = connections;
    this.warmup = warmup;
    this.duration = duration;
  }

  /** Which generator runs the load, for the report. */
  String generator() {
    return wrk
        ? "wrk -t2 -c" + connections + " --latency"
        : "an in-process Vert.x closed loop of " + connections + " connections (wrk is not installed)";
  }

  /** Load for {@code length} whose figures nobody reads: it warms the JVMs' compilers and pools. */
  void warm(int port, String path, boolean cold, Duration length) throws Exception {
    if (wrk) {
      WrkRun.run(port, path, connections, cold, length);
    } else {
      LoadRun.run(vertx, port, path, connections, cold, Duration.ZERO, length);
    }
  }

  Result run(int port, String path, boolean cold) throws Exception {
    if (wrk) {
      if (!warmup.isZero()) {
        WrkRun.run(port, path, connections, cold, warmup);
      }
      return WrkRun.run(port, path, connections, cold, duration);
    }
    return LoadRun.run(vertx, port, path, connections, cold, warmup, duration);
  }
}
