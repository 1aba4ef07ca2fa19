package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests per second through one reverse session answering from 1,000 mocks in playback, against
 * the same session forwarding to a local upstream (traffic mode {@code record}, and {@code
 * passthrough}), for each body size. The mocks are made worst-case for the matcher: 1,000 mocks for
 * the same method, and the ones that answer sort last, so every request is compared with all of
 * them. The whole system runs as processes.
 *
 * <p>Four configurations of the one session, switched live: playback and forwarding, each recorded
 * and not (a filter that keeps nothing). Before anything is measured each configuration runs for
 * {@code --jvm-warmup} seconds, since a cold pipeline (proxy, Kafka, storage and the store all
 * interpreting their recording code) answers ten times slower than a warm one and would penalise
 * whichever configuration ran first. Then {@code --rounds} rounds run the configurations in a
 * rotated order and the median round is reported. After every recorded run the benchmark waits
 * until storage has stored everything published, so no run pays for the previous run's backlog.
 *
 * <p>Flags: {@code --mocks N} (1000), {@code --duration S} (10), {@code --warmup S} (3), {@code
 * --jvm-warmup S} (8), {@code --rounds N} (2), {@code --connections N} (16), {@code --sizes
 * 1024,65536}, {@code --out FILE} (benchmark/target/bench-playback.md).
 */
public final class PlaybackBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
  private static final String PUBLISHED = "tapedeck_capture_published_total";
  private static final String STORED = "tapedeck_storage_entries_stored_total";

  /** One configuration of the session: its traffic mode, and whether anything is recorded. */
  private enum Config {
    PLAYBACK("playback", true),
    FORWARDING("record", true),
    PLAYBACK_UNRECORDED("playback", false),
    PASSTHROUGH("passthrough", false);

    final String trafficMode;
    final boolean recorded;

    Config(String trafficMode, boolean recorded) {
      this.trafficMode = trafficMode;
      this.recorded = recorded;
    }
  }

  /**
   * One run: the load's figures, the proxy's CPU per request, and for recorded runs how long after
   * the load storage took to store everything published.
   */
  private record Measured(Load.Result load, double proxyCpuMicros, double lagSeconds) {}

  private PlaybackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mocks = intFlag(args, "--mocks", 1000);
    Duration duration = Duration.ofSeconds(intFlag(args, "--duration", 10));
    Duration warmup = Duration.ofSeconds(intFlag(args, "--warmup", 3));
    Duration jvmWarmup = Duration.ofSeconds(intFlag(args, "--jvm-warmup", 8));
    int rounds = intFlag(args, "--rounds", 2);
    int connections = intFlag(args, "--connections", 16);
    List<Integer> sizes = new ArrayList<>();
    for (String s : flag(args, "--sizes", "1024,65536").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    Path out = Path.of(flag(args, "--out", "benchmark/target/bench-playback.md"));

    TapedeckSystem system = TapedeckSystem.shared();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    String namespace = "bench-playback-" + System.currentTimeMillis();
    try (PayloadUpstream upstream = PayloadUpstream.start(vertx)) {
      importMocks(system, namespace, mocks, sizes);
      JsonNode session =
          ControlApi.call(
                  system, "POST", "/api/v1/recorder/start",
                  "{\"name\":\"playback-benchmark\",\"targetUrl\":\"http://127.0.0.1:" + upstream.port()
                      + "\",\"namespace\":\"" + namespace + "\",\"trafficMode\":\"playback\"}")
              .get("session");
      Session s = new Session(system, vertx, session.get("id").asText(), session.get("listenPort").asInt(), connections);
      CpuMeter proxyCpu = CpuMeter.of(system.service("proxy").pid());
      for (int size : sizes) {
        for (Config c : Config.values()) {
          s.run(c, Nginx.payloadPath(size), Duration.ZERO, jvmWarmup, proxyCpu);
        }
      }
      StringBuilder table =
          new StringBuilder(
              "| body | session | req/s | p50 ms | p99 ms | errors | proxy CPU µs/req | storage lag s |\n"
                  + "|---|---|---|---|---|---|---|---|\n");
      StringBuilder ratio =
          new StringBuilder(
              "| body | playback ÷ forwarding, both recorded | playback ÷ passthrough, neither recorded |\n|---|---|---|\n");
      for (int size : sizes) {
        Map<Config, List<Measured>> runs = new EnumMap<>(Config.class);
        Config[] order = Config.values();
        for (int round = 0; round < rounds; round++) {
          for (int i = 0; i < order.length; i++) {
            Config c = order[(i + round) % order.length];
            runs.computeIfAbsent(c, k -> new ArrayList<>())
                .add(s.run(c, Nginx.payloadPath(size), warmup, duration, proxyCpu));
          }
        }
        Map<Config, Measured> median = new EnumMap<>(Config.class);
        runs.forEach((c, list) -> median.put(c, median(list)));
        row(table, size, "playback, " + mocks + " mocks", median.get(Config.PLAYBACK));
        row(table, size, "forwarding, record", median.get(Config.FORWARDING));
        row(table, size, "playback, " + mocks + " mocks, nothing recorded", median.get(Config.PLAYBACK_UNRECORDED));
        row(table, size, "forwarding, passthrough (nothing recorded)", median.get(Config.PASSTHROUGH));
        ratio.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f |%n",
                human(size),
                median.get(Config.PLAYBACK).load().rps() / median.get(Config.FORWARDING).load().rps(),
                median.get(Config.PLAYBACK_UNRECORDED).load().rps() / median.get(Config.PASSTHROUGH).load().rps()));
      }
      String report =
          "# Playback benchmark\n\n"
              + String.format(
                  Locale.ROOT,
                  "One reverse session, %d mocks in its namespace (all GET, the answering ones last), %d connections,"
                      + " %d s JVM warm-up per configuration, then %d rounds in rotated order (median shown) of %d s"
                      + " warm-up and %d s measured, closed loop; %d cores shared by the load generator, upstream,"
                      + " proxy, Kafka and storage. The traffic mode is switched live between runs; after a recorded"
                      + " run the next waits until storage has stored everything published (the lag column).%n%n",
                  mocks, connections, jvmWarmup.toSeconds(), rounds, warmup.toSeconds(), duration.toSeconds(),
                  Runtime.getRuntime().availableProcessors())
              + table
              + "\n"
              + ratio;
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      ControlApi.call(system, "POST", "/api/v1/recorder/" + s.id + "/stop", null);
    } finally {
      vertx.close();
    }
    System.exit(0);
  }

  private static Measured median(List<Measured> runs) {
    return Median.of(runs, m -> m.load().rps());
  }

  /** The benchmark's session, switched between configurations. */
  private record Session(TapedeckSystem system, Vertx vertx, String id, int port, int connections) {
    Measured run(Config c, String uri, Duration warmup, Duration duration, CpuMeter proxyCpu) throws Exception {
      ControlApi.call(
          system, "PUT", "/api/v1/recorder/" + id + "/filters",
          c.recorded ? "{\"filters\":{}}" : "{\"filters\":{\"includePaths\":[\"/not-recorded\"]}}");
      ControlApi.call(system, "PUT", "/api/v1/recorder/" + id + "/traffic-mode", "{\"trafficMode\":\"" + c.trafficMode + "\"}");
      // Every pod applies both within a second.
      Thread.sleep(1000);
      Load.Result[] load = new Load.Result[1];
      LoadRun.run(vertx, port, uri, connections, false, Duration.ZERO, warmup, Duration.ZERO);
      double cpu =
          proxyCpu.microsPerRequest(
              () -> {
                try {
                  load[0] = LoadRun.run(vertx, port, uri, connections, false, Duration.ZERO, duration, Duration.ZERO);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return load[0].requests();
              });
      double lag = c.recorded ? awaitStored(system) : 0;
      return new Measured(load[0], cpu, lag);
    }
  }

  /** Waits (at most {@link #DRAIN_LIMIT}) until storage has stored every published capture; the seconds it took. */
  private static double awaitStored(TapedeckSystem system) throws Exception {
    long start = System.nanoTime();
    long deadline = start + DRAIN_LIMIT.toNanos();
    while (System.nanoTime() < deadline
        && ServiceMetrics.value(system.service("storage"), STORED) < ServiceMetrics.value(system.service("proxy"), PUBLISHED)) {
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Decoys on other paths first, then one mock per size on the upstream's path for it, sorted last. */
  private static void importMocks(TapedeckSystem system, String namespace, int count, List<Integer> sizes)
      throws Exception {
    ObjectNode file = JSON.createObjectNode();
    ArrayNode mappings = file.putArray("mappings");
    for (int i = 0; i < count - sizes.size(); i++) {
      ObjectNode m = mappings.addObject();
      m.put("id", String.format(Locale.ROOT, "decoy-%05d", i));
      ObjectNode req = m.putObject("request").put("method", "GET").put("urlPath", "/items/" + i);
      req.putObject("queryParameters").putObject("size").put("equalTo", "1024");
      m.putObject("response").put("status", 200).put("body", "{\"id\":" + i + "}");
    }
    for (int size : sizes) {
      ObjectNode m = mappings.addObject();
      m.put("id", "zz-payload-" + size);
      m.putObject("request").put("method", "GET").put("urlPath", Nginx.payloadPath(size));
      m.putObject("response").put("status", 200).put("base64Body", Base64.getEncoder().encodeToString(Payloads.json(size)));
    }
    JsonNode imported = ControlApi.call(system, "POST", "/api/v1/mocks/import?namespace=" + namespace, JSON.writeValueAsString(file));
    if (imported.get("imported").asInt() != count) {
      throw new IllegalStateException("Imported " + imported + " instead of " + count + " mocks");
    }
  }

  private static void row(StringBuilder table, int size, String session, Measured m) {
    Load.Result r = m.load();
    table.append(
        String.format(
            Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f | %d | %.0f | %s |%n",
            human(size), session, r.rps(), r.p50(), r.p99(), r.errors(), m.proxyCpuMicros(),
            m.lagSeconds() == 0 ? "" : String.format(Locale.ROOT, "%.1f", m.lagSeconds())));
  }

  private static String human(int size) {
    return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
  }

}
