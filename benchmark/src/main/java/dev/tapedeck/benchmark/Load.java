package dev.tapedeck.benchmark;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * One load case against one port: {@code wrk} when it is installed ({@code make bench} installs the
 * Debian package), else the in-process {@link LoadRun}. Both are closed loops of a fixed number of
 * connections, keep-alive unless the case is cold: at full speed, or paced (each connection pausing
 * before each request) to hold the rate near a fixed figure.
 */
final class Load {
  /** What one run measured; latencies in milliseconds, send to last byte. */
  record Result(long requests, long errors, double seconds, double p50, double p90, double p99, double max) {
    double rps() {
      return requests / seconds;
    }

    /** The run whose throughput is the median of {@code runs} (the lower middle one of an even count). */
    static Result median(List<Result> runs) {
      return Median.of(runs, Result::rps);
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

  /** Load for {@code length}, by wrk when installed, else the in-process closed loop. */
  private Result load(int port, String path, boolean cold, Duration length) throws Exception {
    return load(port, path, cold, length, Duration.ZERO);
  }

  private Result load(int port, String path, boolean cold, Duration length, Duration pause) throws Exception {
    if (wrk) {
      return WrkRun.run(port, path, connections, cold, length, pause);
    }
    return LoadRun.run(vertx, port, path, connections, cold, Duration.ZERO, length, pause);
  }

  /**
   * The pause before each request that holds the load near {@code rate} requests a second, given
   * the connections; at least a millisecond (the unit wrk counts in).
   */
  Duration pauseFor(double rate) {
    return Duration.ofMillis(Math.max(1, Math.round(connections * 1000.0 / rate)));
  }

  /** Load for {@code length} whose figures nobody reads: it warms the JVMs' compilers and pools. */
  void warm(int port, String path, boolean cold, Duration length) throws Exception {
    load(port, path, cold, length);
  }

  /**
   * The most of one core a JVM's compiler threads may use over a step for the JVM to count as warm:
   * at first they use most of one, and when their work for a load is done they are close to idle.
   */
  static final double COMPILED_SHARE = 0.10;

  /** How a warm-up ended: after how long, and whether the rate and the compilers had settled. */
  record Warmth(long seconds, double lastRate, double compilerShare, boolean steady) {}

  /**
   * Load in steps of {@code step} until two steps in a row ran within 5% of each other's rate while
   * the proxy's compilers ({@code compilers}) used under {@link #COMPILED_SHARE} of a core in the
   * second, or until {@code max}. A rate alone can hold still for a while at half speed, the hot
   * methods still waiting in the compile queue.
   */
  Warmth warmUntilSteady(
      int port, String path, boolean cold, Duration step, Duration max, CompilerMeter compilers)
      throws Exception {
    long start = System.nanoTime();
    double last = -1;
    double share = 0;
    compilers.shareSinceLast();
    while (System.nanoTime() - start < max.toNanos()) {
      double rate = load(port, path, cold, step).rps();
      share = compilers.shareSinceLast();
      boolean steady = last > 0 && Math.abs(rate - last) <= 0.05 * last;
      last = rate;
      if (steady && share < COMPILED_SHARE) {
        return new Warmth(seconds(start), rate, share, true);
      }
    }
    return new Warmth(seconds(start), last, share, false);
  }

  private static long seconds(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
  }

  /**
   * The short warm-up before each measured run (pools, caches), not measured; {@code pause} is each
   * connection's pause before each request (zero: full speed).
   */
  void warmup(int port, String path, boolean cold, Duration pause) throws Exception {
    if (!warmup.isZero()) {
      load(port, path, cold, warmup, pause);
    }
  }

  /** One measured run of {@code duration}, paced by {@code pause} as {@link #warmup}; that goes before it. */
  Result measure(int port, String path, boolean cold, Duration pause) throws Exception {
    return load(port, path, cold, duration, pause);
  }
}
