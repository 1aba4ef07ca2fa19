package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Throughput and added latency of Tapedeck on the hot path, in one run: the same upstream measured
 * direct, through nginx as a plain reverse proxy (the yardstick: each Tapedeck row is also given as
 * a ratio to it), and through passthrough, recording and acked-recording reverse sessions. Three
 * cases: 1 KiB and 64 KiB over keep-alive connections, and 1 KiB with a new connection per request
 * (cold). Each case runs {@code --rounds} times in turn over every target and the median round is
 * reported; the ratio to nginx is the median of each round's ratio ({@link #ratioToNginx}). The
 * whole system runs as processes (Kafka, the Mongo-wire server, the four services), so the
 * recording rows include publishing every exchange and storage ingesting it; after each recording
 * run the benchmark waits until storage has stored every capture the proxy published and reports
 * how long that took. Everything stays on 127.0.0.1.
 *
 * <p>Between nginx and the sessions, two bare JVM proxies ({@link BareProxy}, {@code --baselines}):
 * a Vert.x server piping through a Vert.x client, and Netty's HTTP codecs with nothing between
 * them, each in a JVM with the proxy's options. They do none of a proxy's work beyond forwarding,
 * so they show how near nginx a Java proxy on the same layers gets on this machine, and how much of
 * Tapedeck's distance from nginx is its own.
 *
 * <p>The upstream is nginx serving static files when nginx is installed, else an in-process Vert.x
 * server; the load generator is {@code wrk} when installed, else an in-process closed loop.
 *
 * <p>Before anything is measured every Tapedeck target gets load of each case in steps of {@code
 * --jvm-warmup} seconds (5) until two steps in a row run within 5% of each other while the proxy's
 * just-in-time compiler threads used under a tenth of a core ({@link CompilerMeter}), at most
 * {@code --jvm-warmup-max} seconds (90); the report says how long each took and where it ended.
 * Each measured run has {@code --warmup} seconds of load before it, not measured; CPU per request
 * counts the measured run only.
 *
 * <p>After a case's rounds, every target runs once more at one fixed pace: each connection pauses
 * before each request so that the load runs at {@code --paced-share} (0.5) of the slowest target's
 * median sustained rate ({@link #sustainedRate}: for a recording target, counting the time storage
 * took after the load), a rate every target sustains, and the report gives the latency each adds over direct
 * at that pace. At full speed a closed loop's latency is mostly its queue (connections over rate),
 * so only a paced run measures what the path itself adds.
 *
 * <p>Flags: {@code --duration S} (10), {@code --warmup S} (3), {@code --connections N} (32),
 * {@code --rounds N} (2), {@code --cases 1k,64k,cold}, {@code --sessions passthrough,recording,acked}
 * (also {@code forward} and {@code forward-recording}: forward-mode sessions, {@code HTTP_PROXY},
 * whose requests name the upstream by absolute URI), {@code --baselines vertx,netty} ({@code none} leaves them out), {@code --paced-share F} (0.5; 0 skips the
 * paced runs), {@code --paced-rate R} (requests a second for every case, in place of the share; for
 * comparing settings at one pace), {@code --paced-rounds N} (1: paced runs of every target, each row the round with
 * the median added p99), {@code --out FILE} (benchmark/target/bench-results.md).
 */
public final class ProxyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);

  /** One load shape. */
  private record Case(String name, int size, boolean cold) {
    String path() {
      return Nginx.payloadPath(size);
    }
  }

  /**
   * One place the load goes to, and the meter of the processes that forward it (none for direct).
   * {@code via} goes before each request's path: empty, or for a forward proxy the upstream's
   * origin, so that the request names it in absolute form ({@code GET http://127.0.0.1:N/1k}).
   */
  private record Target(String name, int port, String via, boolean records, CpuMeter cpu, RunQueueMeter serving) {
    Target(String name, int port, boolean records, CpuMeter cpu, RunQueueMeter serving) {
      this(name, port, "", records, cpu, serving);
    }

    String path(Case c) {
      return via + c.path();
    }
  }

  /**
   * One run against one target: the load's figures, the forwarder's CPU per request, and, for
   * recording sessions, the CPU per request of Kafka, the Mongo-wire server and storage until every
   * capture of the run was stored.
   */
  record Run(Load.Result load, double cpuMicros, double[] pipelineMicros) {
    static Run median(List<Run> runs) {
      return Median.of(runs, r -> r.load().rps());
    }
  }

  /**
   * A recording run's bookkeeping: what was answered, published, stored, how long storing lagged,
   * and the mean time from a capture entering the proxy's publish queue to Kafka's acknowledgement
   * (NaN when none was acknowledged directly); how many captures the proxy's Kafka producer sent
   * per request to the broker, and storage's consumer took per fetch, over the run (from the
   * clients' own metrics; NaN when there were no requests).
   */
  record Stored(
      long answered,
      long published,
      long stored,
      long stubbed,
      double drainSeconds,
      double ackMillis,
      double perRequest,
      double perFetch) {}

  /**
   * The rate a target keeps up with, from its full-speed runs: their median rate, and for a
   * recording target ({@code stored} not null) the median of each run's answered exchanges over the
   * load and the time storage took after it to store them all. A 10 s recording load that storage
   * finishes 7.5 s after it ended ran at 1.75 times what the pipeline sustains; pacing at a share
   * of its rate would pace it near saturation, where the p99 measures a queue.
   */
  static double sustainedRate(List<Run> runs, List<Stored> stored, Duration load) {
    if (stored == null) {
      return Run.median(runs).load().rps();
    }
    double seconds = load.toMillis() / 1000.0;
    ToDoubleFunction<Stored> rate = s -> s.answered() / (seconds + s.drainSeconds());
    return rate.applyAsDouble(Median.of(stored, rate));
  }

  private ProxyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(intFlag(args, "--duration", 10));
    Duration warmup = Duration.ofSeconds(intFlag(args, "--warmup", 3));
    int connections = intFlag(args, "--connections", 32);
    int rounds = intFlag(args, "--rounds", 2);
    int jvmWarmup = intFlag(args, "--jvm-warmup", 5);
    int jvmWarmupMax = intFlag(args, "--jvm-warmup-max", 90);
    double pacedShare = Double.parseDouble(flag(args, "--paced-share", "0.5"));
    int pacedRounds = intFlag(args, "--paced-rounds", 1);
    // A pace in requests a second for every case, in place of the share: for comparing builds or
    // settings at one pace, where a share follows each run's own full-speed rates.
    double pacedRate = Double.parseDouble(flag(args, "--paced-rate", "0"));
    if (pacedRounds < 1) {
      throw new IllegalArgumentException("--paced-rounds takes 1 or more, not " + pacedRounds);
    }
    List<Case> cases = new ArrayList<>();
    for (String c : flag(args, "--cases", "1k,64k,cold").split(",")) {
      cases.add(
          switch (c.trim()) {
            case "1k" -> new Case("1 KiB", 1024, false);
            case "64k" -> new Case("64 KiB", 65536, false);
            case "cold" -> new Case("cold 1 KiB", 1024, true);
            default -> throw new IllegalArgumentException("--cases takes 1k, 64k and cold, not " + c);
          });
    }
    List<String> sessionKinds = List.of(flag(args, "--sessions", "passthrough,recording,acked").split(","));
    String baselineFlag = flag(args, "--baselines", String.join(",", BareProxy.KINDS));
    List<String> baselines = baselineFlag.equals("none") ? List.of() : List.of(baselineFlag.split(","));
    for (String kind : baselines) {
      if (!BareProxy.KINDS.contains(kind)) {
        throw new IllegalArgumentException("--baselines takes " + String.join(", ", BareProxy.KINDS) + " or none, not " + kind);
      }
    }
    Path out = Path.of(flag(args, "--out", "benchmark/target/bench-results.md"));

    TapedeckSystem system = TapedeckSystem.shared();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Load load = new Load(vertx, connections, warmup, duration);
    Optional<Path> nginxBinary = Nginx.binary();
    List<AutoCloseable> started = new ArrayList<>();
    int exitCode = 0;
    try {
      int upstreamPort;
      String upstreamName;
      if (nginxBinary.isPresent()) {
        Nginx files = Nginx.fileServer(nginxBinary.get(), cases.stream().map(Case::size).distinct().toList());
        started.add(files);
        upstreamPort = files.port();
        upstreamName = "nginx serving static files";
      } else {
        PayloadUpstream payloads = PayloadUpstream.start(vertx);
        started.add(payloads);
        upstreamPort = payloads.port();
        upstreamName = "an in-process Vert.x server (nginx is not installed)";
        System.out.println("nginx is not installed: no nginx rows (make bench installs the Debian package)");
      }
      String upstream = "http://127.0.0.1:" + upstreamPort;
      for (Case c : cases) {
        probe(upstreamPort, c);
      }
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("direct", upstreamPort, false, null, null));
      if (nginxBinary.isPresent()) {
        Nginx proxy = Nginx.reverseProxy(nginxBinary.get(), upstreamPort);
        started.add(proxy);
        targets.add(
            new Target("nginx", proxy.port(), false, CpuMeter.of(proxy.pid()), RunQueueMeter.allThreads(proxy.pid())));
      }
      // What a Java proxy on the same layers reaches here before doing any of Tapedeck's work, and
      // the meter of its compilers for its warm-up.
      Map<Target, CompilerMeter> warmed = new LinkedHashMap<>();
      for (String kind : baselines) {
        BareProxy bare =
            BareProxy.start(kind, upstreamPort, Files.createTempFile("tapedeck-bench-bare-" + kind, ".log"));
        started.add(bare);
        Target target =
            new Target(
                "bare " + (kind.equals("vertx") ? "Vert.x" : "Netty"),
                bare.port(),
                false,
                CpuMeter.of(bare.pid()),
                RunQueueMeter.allThreads(bare.pid()));
        targets.add(target);
        warmed.put(target, CompilerMeter.of(bare.pid()));
      }
      List<String> sessions = new ArrayList<>();
      List<Target> tapedeckTargets = new ArrayList<>();
      for (String kind : sessionKinds) {
        tapedeckTargets.add(
            switch (kind) {
              case "passthrough" -> sessionTarget(system, sessions, "record: false", upstream, false, "");
              case "recording" -> sessionTarget(system, sessions, "recording", upstream, true, "");
              // Forward mode (HTTP_PROXY): each request names the upstream by absolute URI.
              case "forward" -> forwardTarget(system, sessions, "forward, record: false", upstream, false);
              case "forward-recording" -> forwardTarget(system, sessions, "forward, recording", upstream, true);
              // durability "acked": each response's last bytes wait for Kafka's acknowledgement.
              case "acked" ->
                  sessionTarget(system, sessions, "recording, acked", upstream, true, ",\"durability\":\"acked\"");
              default ->
                  throw new IllegalArgumentException(
                      "--sessions takes passthrough, recording, acked, forward and forward-recording, not " + kind);
            });
      }
      targets.addAll(tapedeckTargets);

      ServiceProcess proxyService = system.service("proxy");
      // The pipeline after the proxy: the Kafka broker (a child of the stack process), the
      // Mongo-wire server (the stack process itself) and storage-service.
      List<CpuMeter> pipeline =
          List.of(
              CpuMeter.childrenOf(system.stack().pid()),
              CpuMeter.only(system.stack().pid()),
              CpuMeter.of(system.service("storage").pid()));
      System.out.printf(
          Locale.ROOT,
          "pids: benchmark %d, proxy %d, storage %d, control %d, converter %d%n",
          ProcessHandle.current().pid(),
          proxyService.pid(),
          system.service("storage").pid(),
          system.service("control").pid(),
          system.service("converter").pid());
      RssSampler proxyRss = RssSampler.start(proxyService.pid());
      CompilerMeter proxyCompilers = CompilerMeter.of(proxyService.pid());
      tapedeckTargets.forEach(t -> warmed.put(t, proxyCompilers));
      StringBuilder table = new StringBuilder(
          "| case | target | req/s | x nginx | vs direct | p50 ms | p99 ms | added p99 ms | max ms | errors"
              + " | proxy CPU µs/req | Kafka, store, storage CPU µs/req |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      StringBuilder pacedTable = new StringBuilder(
          "| case | target | paced for req/s | req/s | p50 ms | p90 ms | p99 ms | added p50 ms | added p99 ms"
              + " | max ms | errors | serving threads ran, waited for a CPU µs/req | proxy CPU µs/req"
              + " | Kafka, store, storage CPU µs/req |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      StringBuilder storedTable = new StringBuilder(
          "| case | session | answered | published | stored | stubbed | stored all within s"
              + " | queued to acknowledged, mean ms | captures per produce request | captures per storage fetch |\n"
              + "|---|---|---|---|---|---|---|---|---|---|\n");
      // The JVMs' compilers are busy for the first minute or so of load: spend it before measuring,
      // on every JVM target (the bare proxies and the sessions) and case, until the rate holds still,
      // so that what is measured is each JVM compiled (nginx needs no warming), and say how long that
      // took.
      StringBuilder steady = new StringBuilder();
      for (Target target : warmed.keySet()) {
        for (Case c : cases) {
          Load.Warmth warmth =
              load.warmUntilSteady(
                  target.port(),
                  target.path(c),
                  c.cold(),
                  Duration.ofSeconds(jvmWarmup),
                  Duration.ofSeconds(jvmWarmupMax),
                  warmed.get(target));
          steady.append(
              String.format(
                  Locale.ROOT,
                  "%s %s %d s (last step %,.0f req/s, compilers at %.0f%% of a core%s); ",
                  target.name(),
                  c.name(),
                  warmth.seconds(),
                  warmth.lastRate(),
                  warmth.compilerShare() * 100,
                  warmth.steady() ? "" : ", not steady by the limit"));
        }
      }
      awaitCaughtUp(system);
      // Whether the proxy's memory holds still under load: its RSS after each measured run, in order.
      StringBuilder rssAfterRuns = new StringBuilder();
      for (Case c : cases) {
        Map<Target, List<Run>> runs = new LinkedHashMap<>();
        Map<Target, List<Stored>> storedRuns = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
          for (Target target : targets) {
            load.warmup(target.port(), target.path(c), c.cold(), Duration.ZERO);
            if (target.records()) {
              awaitCaughtUp(system); // the warm-up's captures are not this run's
            }
            Snapshot before = target.records() ? Snapshot.take(system) : null;
            double cpuBefore = target.cpu() == null ? 0 : target.cpu().seconds();
            double[] pipelineBefore = seconds(pipeline);
            Load.Result result = load.measure(target.port(), target.path(c), c.cold(), Duration.ZERO);
            double cpu = target.cpu() == null ? 0 : target.cpu().seconds() - cpuBefore;
            if (tapedeckTargets.contains(target)) {
              rssAfterRuns.append(
                  String.format(
                      Locale.ROOT,
                      "%s%s %s %d",
                      rssAfterRuns.isEmpty() ? "" : ", ",
                      c.name(),
                      target.name(),
                      RssSampler.rssKib(proxyService.pid()) / 1024));
            }
            double[] pipelineCpu = new double[pipeline.size()];
            if (target.records()) {
              storedRuns.computeIfAbsent(target, t -> new ArrayList<>()).add(awaitStored(system, before, result));
              pipelineCpu = secondsSince(pipeline, pipelineBefore);
            }
            // Per request answered in the measured run: the CPU counted is that run's (and, for
            // recording, the pipeline's until it stored that run's captures).
            double perRequest = 1e6 / Math.max(1, result.requests());
            runs.computeIfAbsent(target, t -> new ArrayList<>())
                .add(new Run(result, cpu * perRequest, scaled(pipelineCpu, perRequest)));
          }
        }
        Load.Result direct = Run.median(runs.get(targets.get(0))).load();
        Load.Result nginx = nginxBinary.isPresent() ? Run.median(runs.get(targets.get(1))).load() : null;
        for (Target target : targets) {
          Run run = Run.median(runs.get(target));
          Load.Result r = run.load();
          String xNginx =
              nginx == null
                  ? "-"
                  : target == targets.get(1) ? "1.00" : ratioToNginx(runs.get(target), runs.get(targets.get(1)));
          row(table, c, target, run, direct, xNginx);
          if (target.records()) {
            for (Stored one : storedRuns.get(target)) {
              if (!storedRow(storedTable, c, target.name(), one)) {
                exitCode = 1;
              }
            }
          }
          if (tooManyErrors(r)) {
            exitCode = 1;
          }
        }
        if (pacedShare > 0 || pacedRate > 0) {
          // Latency proper: every target at one rate all of them sustain, a share of the slowest's
          // (or the rate asked for). At full speed a closed loop's latency is its connections over
          // its rate (a queue).
          double rate =
              pacedRate > 0
                  ? pacedRate
                  : pacedShare
                      * targets.stream()
                          .mapToDouble(t -> sustainedRate(runs.get(t), storedRuns.get(t), duration))
                          .min()
                          .orElseThrow();
          Duration pause = load.pauseFor(rate);
          // Each round runs every target once, direct first, so a slow stretch of the machine
          // falls on all of them; a row gives the round with the median added p99.
          Map<Target, List<Paced>> paced = new LinkedHashMap<>();
          for (int round = 0; round < pacedRounds; round++) {
            Load.Result pacedDirect = null;
            for (Target target : targets) {
              load.warmup(target.port(), target.path(c), c.cold(), pause);
              if (target.records()) {
                awaitCaughtUp(system);
              }
              Snapshot before = target.records() ? Snapshot.take(system) : null;
              RunQueueMeter.Snapshot servingBefore = target.serving() == null ? null : target.serving().read();
              double cpuBefore = target.cpu() == null ? 0 : target.cpu().seconds();
              double[] pipelineBefore = seconds(pipeline);
              Load.Result r = load.measure(target.port(), target.path(c), c.cold(), pause);
              RunQueueMeter.Reading serving =
                  servingBefore == null ? null : target.serving().read().since(servingBefore);
              double cpu = target.cpu() == null ? 0 : target.cpu().seconds() - cpuBefore;
              if (pacedDirect == null) {
                pacedDirect = r;
              }
              // At a pace the pipeline's CPU is what the serving threads share the cores with.
              double[] pipelineCpu = new double[pipeline.size()];
              if (target.records()) {
                if (!storedRow(storedTable, c, target.name() + ", paced", awaitStored(system, before, r))) {
                  exitCode = 1;
                }
                pipelineCpu = secondsSince(pipeline, pipelineBefore);
              }
              double perRequest = 1e6 / Math.max(1, r.requests());
              paced
                  .computeIfAbsent(target, t -> new ArrayList<>())
                  .add(new Paced(r, pacedDirect, serving, cpu * perRequest, scaled(pipelineCpu, perRequest)));
              if (tooManyErrors(r)) {
                exitCode = 1;
              }
            }
          }
          paced.forEach((target, pacedRuns) -> pacedRow(pacedTable, c, target, rate, pacedRuns));
        }
      }
      RssSampler.Figures rss = proxyRss.stop();
      String report =
          "# Proxy benchmark\n\n"
              + String.format(
                  Locale.ROOT,
                  "Load: %s, %d s warm-up and %d s measured per run, median of %d rounds. Upstream: %s."
                      + " One machine, %d cores shared by the load generator, the upstream, nginx, the"
                      + " proxy, Kafka, the Mongo-wire server and storage.%s%n%n",
                  load.generator(),
                  warmup.toSeconds(),
                  duration.toSeconds(),
                  rounds,
                  upstreamName,
                  Runtime.getRuntime().availableProcessors(),
                  baselines.isEmpty()
                      ? ""
                      : " The bare rows are JVM proxies that only forward, on the layers Tapedeck's proxy is"
                          + " built on and with its JVM options (BareProxy): how near nginx Java gets here.")
              + table
              + (pacedShare > 0 || pacedRate > 0
                  ? String.format(
                          Locale.ROOT,
                          "%nLatency at a fixed pace: every target at one rate, %s, each"
                              + " connection pausing before each request;"
                              + " added over direct at the same pace%s.%n%n",
                          pacedRate > 0
                              ? String.format(Locale.ROOT, "%,.0f requests a second (--paced-rate)", pacedRate)
                              : String.format(
                                  Locale.ROOT,
                                  "%.0f%% of the slowest target's median sustained rate in the case (a"
                                      + " recording target's: exchanges answered over the load and the"
                                      + " time storage then took to store them all)",
                                  pacedShare * 100),
                          pacedRounds < 2
                              ? ""
                              : String.format(
                                  Locale.ROOT,
                                  "; %d rounds, each row the round with the median added p99 (each round's"
                                      + " in brackets, against that round's direct)",
                                  pacedRounds))
                      + pacedTable
                  : "")
              + "\nEvery recording run: exchanges answered (the load generator's count), captures the proxy"
              + " published, entries storage stored (at least the answered count),"
              + " captures stored as stubs, how long after the load ended storage had stored every"
              + " published capture, and how long a capture took on average from the proxy's publish"
              + " queue to Kafka's acknowledgement (tapedeck_capture_acknowledged_seconds), how many"
              + " captures the proxy's Kafka producer sent in one request to the broker on average"
              + " (kafka_producer_record_send_total over kafka_producer_request_total), and how many"
              + " storage stored per fetch of its consumer, empty fetches included"
              + " (tapedeck_storage_entries_stored_total over kafka_consumer_fetch_manager_fetch_total).\n\n"
              + storedTable
              + "\nLoad each JVM target took before its rate held still and its compilers were"
              + " near idle (JIT warm-up, steps of "
              + jvmWarmup
              + " s, at most "
              + jvmWarmupMax
              + " s): "
              + steady
              + "\n"
              + String.format(
                  Locale.ROOT,
                  "%nproxy-service RSS: %d MiB before, %d MiB at most, %d MiB after; after each measured"
                      + " run, in MiB: %s.%n",
                  rss.firstKib() / 1024,
                  rss.maxKib() / 1024,
                  rss.lastKib() / 1024,
                  rssAfterRuns)
              + captureCounters(system);
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      for (String id : sessions) {
        stopSession(system, id);
      }
    } finally {
      for (AutoCloseable c : started) {
        c.close();
      }
      vertx.close();
    }
    System.exit(exitCode);
  }

  private static double[] seconds(List<CpuMeter> meters) {
    return meters.stream().mapToDouble(CpuMeter::seconds).toArray();
  }

  /** Each meter's CPU seconds since {@code before} ({@link #seconds} read earlier). */
  private static double[] secondsSince(List<CpuMeter> meters, double[] before) {
    double[] since = seconds(meters);
    for (int i = 0; i < since.length; i++) {
      since[i] -= before[i];
    }
    return since;
  }

  private static double[] scaled(double[] values, double factor) {
    double[] scaled = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      scaled[i] = values[i] * factor;
    }
    return scaled;
  }

  /** Counters read before a recording run. */
  private record Snapshot(
      double published,
      double stored,
      double stubbed,
      double acknowledged,
      double ackSeconds,
      double sent,
      double requests,
      double fetches) {
    /**
     * One scrape of each service: the snapshot is taken every 200 ms while storage catches up, and
     * serving scrapes is CPU the pipeline columns count.
     */
    static Snapshot take(TapedeckSystem system) throws Exception {
      ServiceMetrics.Scrape proxy = ServiceMetrics.scrape(system.service("proxy"));
      ServiceMetrics.Scrape storage = ServiceMetrics.scrape(system.service("storage"));
      return new Snapshot(
          proxy.value("tapedeck_capture_published_total"),
          storage.value("tapedeck_storage_entries_stored_total"),
          proxy.value("tapedeck_capture_stubbed_total") + proxy.value("tapedeck_capture_dropped_total"),
          proxy.value("tapedeck_capture_acknowledged_seconds_count"),
          proxy.value("tapedeck_capture_acknowledged_seconds_sum"),
          proxy.value("kafka_producer_record_send_total"),
          proxy.value("kafka_producer_request_total"),
          storage.value("kafka_consumer_fetch_manager_fetch_total"));
    }

    /** {@code part}'s growth since {@code before} over {@code whole}'s, NaN when {@code whole} did not grow. */
    private static double ratioSince(double part, double partBefore, double whole, double wholeBefore) {
      double grown = whole - wholeBefore;
      return grown > 0 ? (part - partBefore) / grown : Double.NaN;
    }

    double perRequestSince(Snapshot before) {
      return ratioSince(sent, before.sent, requests, before.requests);
    }

    double perFetchSince(Snapshot before) {
      // Entries stored rather than Kafka's records-consumed, which it reports under two spellings of
      // the topic's name, both exported.
      return ratioSince(stored, before.stored, fetches, before.fetches);
    }

    /** The mean milliseconds from queue to acknowledgement of the captures acknowledged since {@code before}. */
    double ackMillisSince(Snapshot before) {
      double count = acknowledged - before.acknowledged;
      return count > 0 ? (ackSeconds - before.ackSeconds) * 1000 / count : Double.NaN;
    }
  }

  /**
   * Waits until storage has stored every capture the proxy published since {@code before} (at most
   * {@link #DRAIN_LIMIT}); the seconds it took from the load's end are the storage lag.
   */
  private static Stored awaitStored(TapedeckSystem system, Snapshot before, Load.Result run) throws Exception {
    long loadEnded = System.nanoTime();
    long deadline = loadEnded + DRAIN_LIMIT.toNanos();
    Snapshot now = Snapshot.take(system);
    double settledPublished = -1;
    while (System.nanoTime() < deadline) {
      boolean publishedSettled = now.published() == settledPublished;
      settledPublished = now.published();
      if (publishedSettled && now.stored() - before.stored() >= now.published() - before.published()) {
        break;
      }
      Thread.sleep(200);
      now = Snapshot.take(system);
    }
    return new Stored(
        run.requests(),
        (long) (now.published() - before.published()),
        (long) (now.stored() - before.stored()),
        (long) (now.stubbed() - before.stubbed()),
        (System.nanoTime() - loadEnded) / 1e9,
        now.ackMillisSince(before),
        now.perRequestSince(before),
        now.perFetchSince(before));
  }

  /** Fails the run unless the upstream answers the case's path with 200 and the case's size. */
  private static void probe(int port, Case c) throws Exception {
    HttpResponse<byte[]> response =
        HTTP
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200 || response.body().length != c.size()) {
      throw new IllegalStateException(
          "the upstream answered " + c.path() + " with " + response.statusCode() + " and "
              + response.body().length + " bytes, not 200 and " + c.size());
    }
  }

  /** Waits (at most {@link #DRAIN_LIMIT}) until storage stops storing: the warm-up's backlog is in. */
  private static void awaitCaughtUp(TapedeckSystem system) throws Exception {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    Snapshot last = Snapshot.take(system);
    int still = 0;
    while (System.nanoTime() < deadline && still < 10 && last.stored() < last.published()) {
      Thread.sleep(300);
      Snapshot now = Snapshot.take(system);
      still = now.stored() == last.stored() ? still + 1 : 0;
      last = now;
    }
  }

  /** A reverse-mode session to {@code upstream}, with {@code more} fields of its contract. */
  private static Target sessionTarget(
      TapedeckSystem system, List<String> sessions, String name, String upstream, boolean record, String more)
      throws Exception {
    String body =
        "{\"name\":\"benchmark\",\"mode\":\"reverse\",\"record\":" + record + ",\"targetUrl\":\"" + upstream + "\"" + more + "}";
    return started(system, sessions, name, "", record, body);
  }

  /** A forward-mode session ({@code HTTP_PROXY}) whose requests name {@code upstream}. */
  private static Target forwardTarget(
      TapedeckSystem system, List<String> sessions, String name, String upstream, boolean record) throws Exception {
    String body = "{\"name\":\"benchmark, forward\",\"mode\":\"forward\",\"record\":" + record + "}";
    return started(system, sessions, name, upstream, record, body);
  }

  /** The session {@code body} starts, as a target of the load, its requests' paths after {@code via}. */
  private static Target started(
      TapedeckSystem system, List<String> sessions, String name, String via, boolean record, String body)
      throws Exception {
    JsonNode session = ControlApi.call(system, "POST", "/api/v1/recorder/start", body).get("session");
    sessions.add(session.get("id").asText());
    long proxy = system.service("proxy").pid();
    return new Target(
        name, session.get("listenPort").asInt(), via, record, CpuMeter.of(proxy), RunQueueMeter.eventLoops(proxy));
  }

  /**
   * A target's throughput as a share of nginx's: the median of each round's ratio (the mean of the
   * middle two for an even count), with each round's ratio after it when there are several. A
   * target and nginx run seconds apart within a round, so the machine's drift between rounds
   * (nginx's own rate moved by a fifth from run to run here) cancels out of each round's ratio.
   */
  static String ratioToNginx(List<Run> target, List<Run> nginx) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(target.size(), nginx.size()); i++) {
      ratios.add(target.get(i).load().rps() / nginx.get(i).load().rps());
    }
    List<Double> sorted = ratios.stream().sorted().toList();
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    String text = String.format(Locale.ROOT, "%.2f", median);
    if (n > 1) {
      text +=
          ratios.stream()
              .map(ratio -> String.format(Locale.ROOT, "%.2f", ratio))
              .collect(Collectors.joining(", ", " (", ")"));
    }
    return text;
  }

  private static void row(
      StringBuilder table, Case c, Target target, Run run, Load.Result direct, String xNginx) {
    Load.Result r = run.load();
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %,.0f | %s | %.2f | %.2f | %.2f | %s | %.2f | %d | %s | %s |%n",
            c.name(),
            target.name(),
            r.rps(),
            xNginx,
            r.rps() / direct.rps(),
            r.p50(),
            r.p99(),
            target.name().equals("direct") ? "" : String.format(Locale.ROOT, "%.2f", r.p99() - direct.p99()),
            r.max(),
            r.errors(),
            target.cpu() == null ? "" : String.format(Locale.ROOT, "%.0f", run.cpuMicros()),
            target.records() ? pipelineText(run.pipelineMicros()) : ""));
  }

  /** Kafka's, the store's and storage's CPU a request, in that order. */
  private static String pipelineText(double[] micros) {
    return String.format(Locale.ROOT, "%.0f, %.0f, %.0f", micros[0], micros[1], micros[2]);
  }

  /**
   * One recording run's row of the stored table; whether it passed: every answered exchange stored,
   * within {@link #DRAIN_LIMIT} of the load's end.
   */
  private static boolean storedRow(StringBuilder table, Case c, String session, Stored one) {
    table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.1f | %.1f | %.1f | %.1f |%n",
        c.name(), session, one.answered(), one.published(), one.stored(), one.stubbed(), one.drainSeconds(),
        one.ackMillis(), one.perRequest(), one.perFetch()));
    return one.stored() >= one.answered() && one.drainSeconds() <= DRAIN_LIMIT.toSeconds();
  }

  /** Whether a run's errors passed 1% of its answered requests, which fails the benchmark. */
  private static boolean tooManyErrors(Load.Result r) {
    return r.errors() > r.requests() / 100;
  }

  /** One paced run of a target, with the direct run of the same round it is compared with. */
  private record Paced(
      Load.Result load,
      Load.Result direct,
      RunQueueMeter.Reading serving,
      double cpuMicros,
      double[] pipelineMicros) {
    double addedP99() {
      return load.p99() - direct.p99();
    }
  }

  /**
   * A target's row in the paced table: the round with the median added p99 (direct's own p99 for
   * direct), the rounds' added p99 in brackets when there were several.
   */
  private static void pacedRow(StringBuilder table, Case c, Target target, double rate, List<Paced> runs) {
    boolean isDirect = target.name().equals("direct");
    Paced median = Median.of(runs, p -> isDirect ? p.load().p99() : p.addedP99());
    String rounds =
        runs.size() < 2 || isDirect
            ? ""
            : runs.stream()
                .map(p -> String.format(Locale.ROOT, "%.2f", p.addedP99()))
                .collect(Collectors.joining(", ", " (", ")"));
    pacedRow(table, c, target, rate, median, rounds);
  }

  private static void pacedRow(
      StringBuilder table, Case c, Target target, double rate, Paced run, String rounds) {
    boolean isDirect = target.name().equals("direct");
    Load.Result r = run.load();
    Load.Result direct = run.direct();
    RunQueueMeter.Reading serving = run.serving();
    double perRequest = 1e-3 / Math.max(1, r.requests());
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %s | %s | %.2f | %d | %s | %s | %s |%n",
            c.name(),
            target.name(),
            rate,
            r.rps(),
            r.p50(),
            r.p90(),
            r.p99(),
            isDirect ? "" : String.format(Locale.ROOT, "%.2f", r.p50() - direct.p50()),
            isDirect ? "" : String.format(Locale.ROOT, "%.2f", r.p99() - direct.p99()) + rounds,
            r.max(),
            r.errors(),
            serving == null
                ? ""
                : String.format(
                    Locale.ROOT, "%.0f, %.0f", serving.ranNanos() * perRequest, serving.waitedNanos() * perRequest),
            target.cpu() == null ? "" : String.format(Locale.ROOT, "%.0f", run.cpuMicros()),
            target.records() ? pipelineText(run.pipelineMicros()) : ""));
  }

  private static String human(int size) {
    return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
  }

  /** What the proxy's capture pipeline did during the run, from its Prometheus metrics. */
  private static String captureCounters(TapedeckSystem system) throws Exception {
    var proxy = system.service("proxy");
    StringBuilder line = new StringBuilder("\nCapture pipeline over the run:");
    for (String name :
        List.of(
            "tapedeck_capture_published_total",
            "tapedeck_capture_publish_failed_total",
            "tapedeck_capture_spooled_total",
            "tapedeck_capture_backpressure_seconds_total",
            "tapedeck_capture_trimmed_total",
            "tapedeck_capture_stubbed_total",
            "tapedeck_capture_spool_overflow_total")) {
      line.append(String.format(Locale.ROOT, " %s %.1f;", name.substring("tapedeck_capture_".length()), ServiceMetrics.value(proxy, name)));
    }
    return line.append('\n').toString();
  }

  private static void stopSession(TapedeckSystem system, String id) throws Exception {
    ControlApi.call(system, "POST", "/api/v1/recorder/" + id + "/stop", null);
  }

}
