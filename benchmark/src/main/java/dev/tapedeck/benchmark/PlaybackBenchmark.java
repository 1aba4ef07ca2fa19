package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.testkit.TapedeckSystem;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Requests per second through one reverse session answering from 1,000 mocks in playback, against
 * the same session forwarding to a local upstream (traffic mode {@code record}, and {@code
 * passthrough}), for each body size. The mocks are made worst-case for the matcher: 1,000 mocks for
 * the same method, and the ones that answer sort last, so every request is compared with all of
 * them. Both modes record every exchange; the whole system runs as processes.
 *
 * <p>Flags: {@code --mocks N} (1000), {@code --duration S} (10), {@code --warmup S} (3), {@code
 * --connections N} (16), {@code --sizes 1024,65536}, {@code --out FILE}
 * (benchmark/target/bench-playback.md).
 */
public final class PlaybackBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlaybackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mocks = intFlag(args, "--mocks", 1000);
    Duration duration = Duration.ofSeconds(intFlag(args, "--duration", 10));
    Duration warmup = Duration.ofSeconds(intFlag(args, "--warmup", 3));
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
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();
      StringBuilder table = new StringBuilder("| body | session | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n");
      StringBuilder ratio =
          new StringBuilder(
              "| body | playback ÷ forwarding, both recorded | playback ÷ passthrough, neither recorded |\n|---|---|---|\n");
      for (int size : sizes) {
        String uri = Nginx.payloadPath(size);
        mode(system, id, "playback");
        Load.Result playback = LoadRun.run(vertx, port, uri, connections, false, warmup, duration);
        mode(system, id, "record");
        Load.Result record = LoadRun.run(vertx, port, uri, connections, false, warmup, duration);
        mode(system, id, "passthrough");
        Load.Result passthrough = LoadRun.run(vertx, port, uri, connections, false, warmup, duration);
        // Playback without recording (a filter that keeps nothing): the matcher's cost alone,
        // against passthrough forwarding, which records nothing either.
        ControlApi.call(system, "PUT", "/api/v1/recorder/" + id + "/filters", "{\"filters\":{\"includePaths\":[\"/not-recorded\"]}}");
        mode(system, id, "playback");
        Load.Result unrecorded = LoadRun.run(vertx, port, uri, connections, false, warmup, duration);
        ControlApi.call(system, "PUT", "/api/v1/recorder/" + id + "/filters", "{\"filters\":{}}");
        row(table, size, "playback, " + mocks + " mocks", playback);
        row(table, size, "forwarding, record", record);
        row(table, size, "playback, " + mocks + " mocks, nothing recorded", unrecorded);
        row(table, size, "forwarding, passthrough (nothing recorded)", passthrough);
        ratio.append(
            String.format(
                Locale.ROOT, "| %s | %.2f | %.2f |%n", human(size), playback.rps() / record.rps(), unrecorded.rps() / passthrough.rps()));
      }
      String report =
          "# Playback benchmark\n\n"
              + String.format(
                  Locale.ROOT,
                  "One reverse session, %d mocks in its namespace (all GET, the answering ones last), %d connections,"
                      + " %d s warm-up, %d s measured per row, closed loop; %d cores shared by the load generator,"
                      + " upstream, proxy, Kafka and storage. The traffic mode is switched live between rows.%n%n",
                  mocks, connections, warmup.toSeconds(), duration.toSeconds(), Runtime.getRuntime().availableProcessors())
              + table
              + "\n"
              + ratio;
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      ControlApi.call(system, "POST", "/api/v1/recorder/" + id + "/stop", null);
    } finally {
      vertx.close();
    }
    System.exit(0);
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

  private static void mode(TapedeckSystem system, String id, String mode) throws Exception {
    ControlApi.call(system, "PUT", "/api/v1/recorder/" + id + "/traffic-mode", "{\"trafficMode\":\"" + mode + "\"}");
    // Every pod applies it within a second.
    Thread.sleep(1000);
  }

  private static void row(StringBuilder table, int size, String session, Load.Result r) {
    table.append(
        String.format(
            Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f | %d |%n",
            human(size), session, r.rps(), r.p50(), r.p99(), r.errors()));
  }

  private static String human(int size) {
    return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
  }

}
