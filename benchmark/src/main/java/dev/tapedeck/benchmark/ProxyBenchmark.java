package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Locale;

/**
 * Throughput and added latency of Tapedeck on the hot path: the same upstream measured direct,
 * through nginx as a plain reverse proxy (when nginx is installed: the yardstick, each Tapedeck row
 * is also given as a ratio to it), and through passthrough, recording and acked-recording reverse
 * sessions, for each body size, in one run. The whole system runs as processes
 * (Kafka, the Mongo-wire server, the four services), so the proxy's figures include publishing
 * every exchange and storage ingesting it. Everything stays on 127.0.0.1.
 *
 * <p>Flags: {@code --duration S} (10), {@code --warmup S} (3), {@code --connections N} (16),
 * {@code --sizes 1024,65536}, {@code --out FILE} (benchmark/target/bench-results.md).
 */
public final class ProxyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProxyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(intFlag(args, "--duration", 10));
    Duration warmup = Duration.ofSeconds(intFlag(args, "--warmup", 3));
    int connections = intFlag(args, "--connections", 16);
    List<Integer> sizes = new ArrayList<>();
    for (String s : flag(args, "--sizes", "1024,65536").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    Path out = Path.of(flag(args, "--out", "benchmark/target/bench-results.md"));

    TapedeckSystem system = TapedeckSystem.shared();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int exitCode = 0;
    try (PayloadUpstream upstream = PayloadUpstream.start(vertx)) {
      java.util.Optional<java.nio.file.Path> nginxBinary = NginxProxy.binary();
      NginxProxy nginx = nginxBinary.isPresent() ? NginxProxy.start(nginxBinary.get(), upstream.port()) : null;
      if (nginx == null) {
        System.out.println("nginx is not installed: no nginx rows (make bench installs the Debian package)");
      }
      JsonNode session = startSession(system, "http://127.0.0.1:" + upstream.port(), true, "");
      JsonNode passthrough = startSession(system, "http://127.0.0.1:" + upstream.port(), false, "");
      // durability "acked": each response's last bytes wait for Kafka's acknowledgement.
      JsonNode acked = startSession(system, "http://127.0.0.1:" + upstream.port(), true, ",\"durability\":\"acked\"");
      int ackedPort = acked.get("listenPort").asInt();
      int proxyPort = session.get("listenPort").asInt();
      int passthroughPort = passthrough.get("listenPort").asInt();
      long proxyPid = system.service("proxy").pid();
      long rssBefore = rssKib(proxyPid);

      StringBuilder table = new StringBuilder();
      table.append("| body | target | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |\n");
      table.append("|---|---|---|---|---|---|---|---|\n");
      StringBuilder added = new StringBuilder();
      added.append(
          "| body | session | throughput vs direct | x nginx | added p50 ms | added p99 ms |\n"
              + "|---|---|---|---|---|---|\n");
      for (int size : sizes) {
        String uri = "/payload?size=" + size;
        LoadRun.Result direct = LoadRun.run(vertx, upstream.port(), uri, connections, warmup, duration);
        LoadRun.Result viaNginx =
            nginx == null ? null : LoadRun.run(vertx, nginx.port(), uri, connections, warmup, duration);
        LoadRun.Result forwarded =
            LoadRun.run(vertx, passthroughPort, uri, connections, warmup, duration);
        LoadRun.Result proxied = LoadRun.run(vertx, proxyPort, uri, connections, warmup, duration);
        LoadRun.Result durable = LoadRun.run(vertx, ackedPort, uri, connections, warmup, duration);
        row(table, size, "direct", direct);
        if (viaNginx != null) {
          row(table, size, "nginx, plain reverse proxy", viaNginx);
          added(added, size, "nginx", direct, viaNginx, viaNginx);
        }
        row(table, size, "tapedeck, record:false", forwarded);
        row(table, size, "tapedeck, recording", proxied);
        row(table, size, "tapedeck, recording, durability acked", durable);
        added(added, size, "record:false", direct, viaNginx, forwarded);
        added(added, size, "recording", direct, viaNginx, proxied);
        added(added, size, "recording, acked", direct, viaNginx, durable);
        if (proxied.errors() > proxied.requests() / 100) {
          exitCode = 1;
        }
      }
      long rssAfter = rssKib(proxyPid);
      String report =
          "# Proxy benchmark\n\n"
              + String.format(
                  Locale.ROOT,
                  "%d connections, %d s warm-up, %d s measured per row, closed loop; one machine,"
                      + " %d cores shared by load generator, upstream, proxy, Kafka and storage.%n%n",
                  connections,
                  warmup.toSeconds(),
                  duration.toSeconds(),
                  Runtime.getRuntime().availableProcessors())
              + table
              + "\n"
              + added
              + String.format(
                  Locale.ROOT,
                  "%nproxy-service RSS: %d MiB before, %d MiB after. Entries kept in the session: %d"
                      + " (the per-session cap is 1,000; older entries are evicted).%n",
                  rssBefore / 1024,
                  rssAfter / 1024,
                  entryTotal(system, session.get("id").asText()))
              + captureCounters(system);
      System.out.println(report);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      stopSession(system, session.get("id").asText());
      stopSession(system, passthrough.get("id").asText());
      stopSession(system, acked.get("id").asText());
      if (nginx != null) {
        nginx.close();
      }
    } finally {
      vertx.close();
    }
    System.exit(exitCode);
  }

  private static void row(StringBuilder table, int size, String target, LoadRun.Result r) {
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d |%n",
            human(size),
            target,
            r.rps(),
            r.ms(50),
            r.ms(90),
            r.ms(99),
            r.latencyMicros().getMaxValue() / 1000.0,
            r.errors()));
  }

  private static void added(
      StringBuilder table,
      int size,
      String session,
      LoadRun.Result direct,
      LoadRun.Result nginx,
      LoadRun.Result through) {
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %.0f%% | %s | %.2f | %.2f |%n",
            human(size),
            session,
            100 * through.rps() / direct.rps(),
            nginx == null ? "-" : String.format(Locale.ROOT, "%.2f", through.rps() / nginx.rps()),
            through.ms(50) - direct.ms(50),
            through.ms(99) - direct.ms(99)));
  }

  private static String human(int size) {
    return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
  }

  private static JsonNode startSession(TapedeckSystem system, String target, boolean record, String more)
      throws Exception {
    return api(
            system,
            "POST",
            "/api/v1/recorder/start",
            "{\"name\":\"benchmark\",\"mode\":\"reverse\",\"record\":"
                + record
                + ",\"targetUrl\":\""
                + target
                + "\""
                + more
                + "}")
        .get("session");
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

  private static long entryTotal(TapedeckSystem system, String id) throws Exception {
    return api(system, "GET", "/api/v1/recorder/" + id + "/entries?limit=1", null).get("total").asLong();
  }

  private static void stopSession(TapedeckSystem system, String id) throws Exception {
    api(system, "POST", "/api/v1/recorder/" + id + "/stop", null);
  }

  private static JsonNode api(TapedeckSystem system, String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(system.controlUrl() + path))
            .header("Authorization", "Bearer " + system.adminKey())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
