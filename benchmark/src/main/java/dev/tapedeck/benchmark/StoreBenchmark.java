package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.devstack.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * The embedded Mongo-wire store by itself: the server runs alone in a child JVM with the options
 * the dev stack gives it ({@link MongoWireServer#JVM_OPTIONS}), and this process drives it through
 * the MongoDB Java driver the way storage-service does: unordered {@code insertMany} of entry
 * documents (the fields {@code EntryDocuments} writes, a 2 KiB body or {@code --body-bytes} in the
 * exchange bytes and in the search text), the session cap as one range delete by sequence per session, and the
 * reads the API makes. It prints entries per second and the server's resident memory.
 *
 * <p>Phases: fill ({@code --total} entries spread over sessions of {@code --per-session}, no
 * eviction; stops early after {@code --max-fill-seconds}), churn ({@code --churn} more entries into
 * {@code --churn-sessions} full sessions, each batch followed by the cap's range delete), queries
 * ({@code --queries} runs each), then a restart of the server (time to answer again, and memory).
 * {@code --server-opts "..."} adds JVM options to the server (a JFR recording, say); {@code
 * --data-dir} keeps the data (a temporary folder otherwise, deleted at the end).
 */
public final class StoreBenchmark {
  private static final String COLLECTION = "entries";
  /** Entry ids as the proxy mints them ({@code EntryIds}: UUIDv7, in time order). */
  private static final TimeBasedEpochGenerator ENTRY_IDS = Generators.timeBasedEpochGenerator();
  /** The body in each entry's exchange bytes ({@code --body-bytes}, 2,000 by default); set by main. */
  private static byte[] body;
  /** The body as search text; set by main. */
  private static String text;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int total = intFlag(args, "--total", 200_000);
    int perSession = intFlag(args, "--per-session", 1000);
    int churn = intFlag(args, "--churn", 100_000);
    int churnSessions = intFlag(args, "--churn-sessions", 4);
    int batch = intFlag(args, "--batch", 500);
    int queries = intFlag(args, "--queries", 20);
    int maxFillSeconds = intFlag(args, "--max-fill-seconds", 1800);
    body = body(intFlag(args, "--body-bytes", 2000));
    text = text();
    String serverOpts = flag(args, "--server-opts", "");
    String dataFlag = flag(args, "--data-dir", "");
    Path dataDir = dataFlag.isEmpty() ? Files.createTempDirectory("store-bench") : Path.of(dataFlag);

    Server server = Server.start(dataDir, serverOpts);
    System.out.printf("server pid %d, %s, started in %d ms, RSS %s%n",
        server.pid(), server.uri, server.startMillis, server.rss());
    List<String> report = new ArrayList<>();
    try (MongoClient client = MongoClients.create(server.uri)) {
      MongoCollection<Document> entries = client.getDatabase("tapedeck").getCollection(COLLECTION);
      entries.createIndex(Indexes.ascending("sessionId", "seq"));
      entries.createIndex(
          Indexes.compoundIndex(Indexes.ascending("sessionId"), Indexes.descending("startedAt")));

      // Fill: entries interleaved over the sessions, as concurrent sessions record.
      int sessionCount = Math.max(1, (total + perSession - 1) / perSession);
      long[] seqs = new long[sessionCount + churnSessions];
      long started = System.nanoTime();
      double cpu0 = server.cpuSeconds();
      long lastReport = started;
      long stored = 0;
      int n = 0;
      while (n < total) {
        List<Document> docs = new ArrayList<>(batch);
        for (int i = 0; i < batch && n < total; i++, n++) {
          int s = n % sessionCount;
          docs.add(document("s" + s, ++seqs[s], n));
        }
        entries.insertMany(docs, new InsertManyOptions().ordered(false));
        stored += docs.size();
        long now = System.nanoTime();
        if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
          lastReport = now;
          System.out.printf("  fill: %,d stored, %,.0f entries/s, server RSS %s%n",
              stored, stored / seconds(started), server.rss());
        }
        if (seconds(started) > maxFillSeconds) {
          System.out.printf("  fill stopped after %d s (--max-fill-seconds)%n", maxFillSeconds);
          break;
        }
      }
      double fillSeconds = seconds(started);
      double fillCpu = server.cpuSeconds() - cpu0;
      String fillLine = String.format(Locale.ROOT,
          "fill: %,d entries in %.1f s = %,.0f entries/s; server CPU %.0f µs/entry (%,.0f entries per"
              + " CPU second); server RSS %s (peak %s); data file %,d MiB",
          stored, fillSeconds, stored / fillSeconds, fillCpu * 1e6 / stored, stored / fillCpu,
          server.rss(), server.peakRss(),
          Files.size(MongoWireServer.dataFile(dataDir)) >> 20);
      report.add(fillLine);
      System.out.println(fillLine);

      // Churn: full sessions keep receiving; the cap evicts with one range delete per session.
      started = System.nanoTime();
      cpu0 = server.cpuSeconds();
      long evicted = 0;
      int c = 0;
      while (c < churn) {
        List<Document> docs = new ArrayList<>(batch);
        long[] last = new long[churnSessions];
        for (int i = 0; i < batch && c < churn; i++, c++) {
          int s = c % churnSessions;
          docs.add(document("s" + s, ++seqs[s], c));
          last[s] = seqs[s];
        }
        entries.insertMany(docs, new InsertManyOptions().ordered(false));
        for (int s = 0; s < churnSessions; s++) {
          if (last[s] > perSession) {
            evicted += entries.deleteMany(
                Filters.and(Filters.eq("sessionId", "s" + s), Filters.lte("seq", last[s] - perSession)))
                .getDeletedCount();
          }
        }
      }
      double churnSeconds = seconds(started);
      double churnCpu = server.cpuSeconds() - cpu0;
      String churnLine = String.format(Locale.ROOT,
          "churn: %,d entries into %d sessions at the cap in %.1f s = %,.0f entries/s, %,d evicted;"
              + " server CPU %.0f µs/entry (%,.0f entries per CPU second); server RSS %s (peak %s)",
          churn, churnSessions, churnSeconds, churn / churnSeconds, evicted,
          churnCpu * 1e6 / churn, churn / churnCpu, server.rss(),
          server.peakRss());
      report.add(churnLine);
      System.out.println(churnLine);
      long sessionSize = entries.countDocuments(Filters.eq("sessionId", "s0"));
      report.add("session s0 holds " + sessionSize + " entries after churn");

      // Queries, the way storage asks them.
      String q = "s" + (sessionCount / 2);
      report.add(time("find sessionId sort seq asc skip 900 limit 100", queries,
          () -> entries.find(Filters.eq("sessionId", q)).sort(Sorts.ascending("seq")).skip(900)
              .limit(100).into(new ArrayList<>()).size()));
      report.add(time("find sessionId sort seq desc limit 100", queries,
          () -> entries.find(Filters.eq("sessionId", q)).sort(Sorts.descending("seq")).limit(100)
              .into(new ArrayList<>()).size()));
      report.add(time("countDocuments sessionId", queries,
          () -> (int) entries.countDocuments(Filters.eq("sessionId", q))));
      report.add(time("seq beyond the cap (sort desc, skip 1000, limit 1, seq only)", queries,
          () -> entries.find(Filters.eq("sessionId", "s0")).projection(
              Projections.fields(Projections.include("seq"), Projections.excludeId()))
              .sort(Sorts.descending("seq")).skip(999).limit(1).into(new ArrayList<>()).size()));
      report.add(time("text regex within one session, sort startedAt desc limit 50", queries,
          () -> entries.find(Filters.and(Filters.in("sessionId", List.of(q)),
                  Filters.regex("text", Pattern.compile(Pattern.quote("needle-1")))))
              .projection(Projections.exclude("text")).sort(Sorts.descending("startedAt"))
              .limit(50).into(new ArrayList<>()).size()));
      report.add(time("text regex across all sessions (limit 50)", Math.min(queries, 3),
          () -> entries.find(Filters.regex("text", Pattern.compile(Pattern.quote("needle-7777")))).limit(50)
              .into(new ArrayList<>()).size()));
    }
    server.stop();

    Server again = Server.start(dataDir, serverOpts);
    try (MongoClient client = MongoClients.create(again.uri)) {
      MongoCollection<Document> entries = client.getDatabase("tapedeck").getCollection(COLLECTION);
      long t0 = System.nanoTime();
      int found = entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq"))
          .limit(100).into(new ArrayList<>()).size();
      String restartLine = String.format(Locale.ROOT,
          "restart: ready in %d ms, first session page (%d entries) in %.0f ms; server RSS %s",
          again.startMillis, found, seconds(t0) * 1000, again.rss());
      report.add(restartLine);
    }
    again.stop();
    if (dataFlag.isEmpty()) {
      PathUtils.deleteDirectory(dataDir);
    }
    System.out.println();
    System.out.println("== store benchmark ==");
    report.forEach(System.out::println);
  }

  private static String time(String what, int runs, Supplier<Integer> query) {
    query.get(); // warm-up
    long[] micros = new long[runs];
    int results = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      results = query.get();
      micros[i] = (System.nanoTime() - t0) / 1000;
    }
    Arrays.sort(micros);
    String line = String.format(Locale.ROOT, "%s: p50 %.1f ms, p90 %.1f ms (%d results)", what,
        micros[runs / 2] / 1000.0, micros[Math.min(runs - 1, runs * 9 / 10)] / 1000.0, results);
    System.out.println(line);
    return line;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** An entry document as storage writes it: indexed fields, search text and exchange bytes. */
  static Document document(String session, long seq, int n) {
    long now = System.currentTimeMillis();
    byte[] exchange = Arrays.copyOf(body, body.length + 120);
    return new Document("_id", ENTRY_IDS.generate().toString())
        .append("sessionId", session)
        .append("seq", seq)
        .append("storedAt", new Date(now))
        .append("startedAt", new Date(now))
        .append("entryType", "HTTP")
        .append("method", n % 10 == 0 ? "POST" : "GET")
        .append("url", "http://api.bench.test/items/" + n + "?page=" + (n % 7))
        .append("host", "api.bench.test")
        .append("path", "/items/" + n)
        .append("status", n % 20 == 0 ? 404 : 200)
        .append("durationMs", 3.5)
        .append("tags", List.of())
        .append("notes", "")
        .append("text", "x-trace: needle-" + n + "\ncontent-type: application/json\n" + text)
        .append("exchange", new Binary(exchange));
  }

  private static byte[] body(int bytes) {
    StringBuilder json = new StringBuilder("{\"items\":[");
    int i = 0;
    while (json.length() < bytes) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item-")
          .append(i).append("\"}");
      i++;
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String text() {
    return new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
  }

  /** The server in its own JVM. */
  private static final class Server {
    final Process process;
    final String uri;
    final long startMillis;
    boolean recording;

    private Server(Process process, String uri, long startMillis) {
      this.process = process;
      this.uri = uri;
      this.startMillis = startMillis;
    }

    static Server start(Path dataDir, String extraOpts) throws IOException {
      int port;
      try (var socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(MongoWireServer.JVM_OPTIONS);
      if (!extraOpts.isBlank()) {
        command.addAll(Arrays.asList(extraOpts.trim().split("\\s+")));
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          MongoWireServer.class.getName(), "--data-dir", dataDir.toString(),
          "--port", Integer.toString(port)));
      long t0 = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("MONGO-WIRE-READY ")) {
          long millis = (System.nanoTime() - t0) / 1_000_000;
          Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("  [server] " + l)));
          drain.setDaemon(true);
          drain.start();
          Server server = new Server(process, line.substring("MONGO-WIRE-READY ".length()).trim(), millis);
          server.recording = extraOpts.contains("StartFlightRecording");
          return server;
        }
        System.out.println("  [server] " + line);
      }
      throw new IllegalStateException("the server exited before it was ready");
    }

    long pid() {
      return process.pid();
    }

    /** CPU seconds the server has used (user + system), from /proc: independent of other load. */
    double cpuSeconds() {
      try {
        ProcStat stat = ProcStat.read(Path.of("/proc", Long.toString(process.pid()), "stat"));
        return stat.cpuTicks() / ProcStat.TICKS_PER_SECOND;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    String rss() {
      return status("VmRSS:");
    }

    String peakRss() {
      return status("VmHWM:");
    }

    private String status(String field) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
          if (l.startsWith(field)) {
            long kb = Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]);
            return String.format(Locale.ROOT, "%,d MiB", kb >> 10);
          }
        }
      } catch (IOException | RuntimeException e) {
        return "?";
      }
      return "?";
    }

    void stop() throws InterruptedException, IOException {
      if (recording) {
        // The server's exit hook halts the JVM before JFR's own dump at exit can run.
        Process dump = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(process.pid()), "JFR.dump", "name=1").inheritIO().start();
        dump.waitFor(120, TimeUnit.SECONDS);
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
