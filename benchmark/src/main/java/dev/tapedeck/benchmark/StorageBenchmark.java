package dev.tapedeck.benchmark;

import static dev.tapedeck.benchmark.BenchFlags.flag;
import static dev.tapedeck.benchmark.BenchFlags.intFlag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Storage at scale, through the public API and Kafka as proxies publish:
 *
 * <ol>
 *   <li>ingestion of 2 KiB entries into the embedded Mongo-wire server, filling sessions to the
 *       cap;
 *   <li>ingestion with eviction: more entries into sessions already at the cap, so each evicts one;
 *   <li>storage-service alone: a second one, on a topic of its own, into a {@link NullMongoSink}
 *       that acknowledges writes without storing them (its rate and CPU per entry);
 *   <li>the latency of listing a session of 1,000 entries and of searching.
 * </ol>
 *
 * <p>Flags: {@code --total N} entries filling sessions (50000), {@code --per-session N} (1000, the
 * cap), {@code --evict N} entries into full sessions (50000), {@code --evict-sessions N} (10),
 * {@code --evict-rounds N} (3: the median is reported), {@code --evict-warmup N} (1 round before
 * them, not counted),
 * {@code --sink-entries N} for the service alone (300000, the first third not timed), {@code --queries N} (20 per
 * measurement), {@code --jfr DIR} (JFR recordings of the storage-services), {@code --only-sink} (storage-service alone only),
 * {@code --out FILE}
 * (benchmark/target/storage-bench-results.md).
 */
public final class StorageBenchmark {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Entry ids as the proxy mints them ({@code EntryIds}: UUIDv7, in time order). */
  private static final TimeBasedEpochGenerator ENTRY_IDS = Generators.timeBasedEpochGenerator();
  private static final byte[] BODY = body();

  private StorageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int total = intFlag(args, "--total", 50_000);
    int perSession = intFlag(args, "--per-session", 1000);
    int evict = intFlag(args, "--evict", 50_000);
    int evictSessions = intFlag(args, "--evict-sessions", 10);
    int evictRounds = Math.max(1, intFlag(args, "--evict-rounds", 3));
    int evictWarmup = intFlag(args, "--evict-warmup", 1);
    int sinkEntries = intFlag(args, "--sink-entries", 300_000);
    int queries = intFlag(args, "--queries", 20);
    String jfr = flag(args, "--jfr", "");
    Path out = Path.of(flag(args, "--out", "benchmark/target/storage-bench-results.md"));
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    if (Arrays.asList(args).contains("--only-sink")) {
      // Only phase 3, storage-service's own cost: a quicker loop while working on it.
      ServiceOnly alone = serviceOnly(system, sinkEntries, jfr);
      System.out.printf(
          Locale.ROOT,
          "storage-service alone (no-cost sink): %,d entries in %.1f s: %,.0f entries/s; %.1f µs of"
              + " CPU per entry%n",
          alone.entries(), alone.seconds(), alone.entries() / alone.seconds(), alone.microsPerEntry());
      System.exit(0);
    }

    int sessionCount = (total + perSession - 1) / perSession;
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < sessionCount; i++) {
      sessions.add(emptySession(system, "bench-" + i));
    }
    System.out.printf("%d sessions made; publishing %d entries%n", sessionCount, total);

    // 1. Filling sessions up to the cap: nothing (or one entry per session) is evicted.
    long fillStarted = System.nanoTime();
    long publishNanos = publishAndAwait(system, total, n -> sessions.get(n / perSession), 0);
    double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
    System.out.printf(
        Locale.ROOT, "filled: %,d entries in %.1f s: %,.0f entries/s%n", total, fillSeconds, total / fillSeconds);

    // 2. With eviction: more entries into sessions already at the cap, so every entry stored
    //    evicts one (the 119,171 evicted of 120,171 stored). Rounds one after another into
    //    the same sessions. The first ones warm the JVMs up and are not counted: storage-service,
    //    the store and the producer had only compiled what filling needed, and a first round of
    //    100,000 ran at half the rate of the next. Of the rest the median is reported, with the
    //    range: one round's rate moves by 10-20% from run to run on this machine.
    int evicting = Math.min(evictSessions, sessionCount);
    JfrRecording storageJfr = JfrRecording.start(jfr, system.service("storage").pid(), "storage-embedded");
    JfrRecording stackJfr = JfrRecording.start(jfr, system.stack().pid(), "stack-embedded");
    List<EvictionRound> rounds = new ArrayList<>();
    List<EvictionRound> warmup = new ArrayList<>();
    for (int round = 0; round < evictWarmup + evictRounds; round++) {
      long evictStarted = System.nanoTime();
      CpuBudget before = CpuBudget.of(system);
      double evictedBefore = metric(system.service("storage").url(), "tapedeck_storage_entries_evicted_total");
      double atOnceBefore = metric(system.service("storage").url(), EVICTED_AT_ONCE);
      int base = total + round * evict;
      publishAndAwait(system, evict, n -> sessions.get(n % evicting), base);
      double evictSeconds = (System.nanoTime() - evictStarted) / 1e9;
      CpuBudget used = CpuBudget.of(system).minus(before);
      double evictedCount =
          metric(system.service("storage").url(), "tapedeck_storage_entries_evicted_total") - evictedBefore;
      double atOnce = metric(system.service("storage").url(), EVICTED_AT_ONCE) - atOnceBefore;
      EvictionRound r = new EvictionRound(evictSeconds, evictedCount, atOnce, used);
      boolean warming = round < evictWarmup;
      (warming ? warmup : rounds).add(r);
      System.out.printf(
          Locale.ROOT,
          "with eviction, %s %d: %,d entries in %.1f s: %,.0f entries/s (%,.0f evicted, %,.0f of"
              + " them at once); CPU per entry: %s%n",
          warming ? "warm-up round" : "round", warming ? round + 1 : round + 1 - evictWarmup,
          evict, evictSeconds, evict / evictSeconds, evictedCount, atOnce, used.perEntry(evict));
    }
    storageJfr.stop();
    stackJfr.stop();
    List<EvictionRound> byRate = new ArrayList<>(rounds);
    byRate.sort(java.util.Comparator.comparingDouble(EvictionRound::seconds).reversed());
    EvictionRound median = byRate.get(byRate.size() / 2);
    double evictSeconds = median.seconds();
    double evictedCount = median.evicted();
    double atOnceCount = median.atOnce();
    CpuBudget used = median.cpu();
    String evictRange =
        String.format(
            Locale.ROOT,
            "%,.0f-%,.0f",
            evict / byRate.getFirst().seconds(),
            evict / byRate.getLast().seconds());
    String warmupRates =
        warmup.isEmpty()
            ? "none"
            : String.join(
                ", ",
                warmup.stream()
                    .map(w -> String.format(Locale.ROOT, "%,.0f", evict / w.seconds()))
                    .toList());
    System.out.printf(
        Locale.ROOT,
        "with eviction: median of %d rounds %,.0f entries/s (range %s); CPU per entry (median"
            + " round): %s%n",
        rounds.size(), evict / evictSeconds, evictRange, used.perEntry(evict));

    // 3. storage-service alone: a second one reads records of its own topic into a Mongo-wire sink
    //    that acknowledges writes without storing them.
    ServiceOnly alone = sinkEntries > 0 ? serviceOnly(system, sinkEntries, jfr) : null;
    if (alone != null) {
      System.out.printf(
          Locale.ROOT,
          "storage-service alone (no-cost sink): %,d entries in %.1f s: %,.0f entries/s; %.0f µs of"
              + " CPU per entry (%,.0f entries/s per core it has to itself)%n",
          alone.entries(), alone.seconds(), alone.entries() / alone.seconds(), alone.microsPerEntry(),
          1e6 / alone.microsPerEntry());
    }

    String oneSession = sessions.get(sessionCount / 2);
    double[] list = time(queries, () -> api.call("GET", "/api/v1/recorder/" + oneSession + "/entries?limit=100", null, 200));
    double[] listLast =
        time(queries, () -> api.call("GET", "/api/v1/recorder/" + oneSession + "/entries?limit=100&offset=900", null, 200));
    double[] searchSession =
        time(queries, () -> api.call("GET", "/api/v1/recorder/search?q=needle-7&sessionId=" + oneSession, null, 200));
    System.out.print(row("list 100 (first page)", list.clone()) + row("list 100 (offset 900)", listLast.clone())
        + row("search q= within one session", searchSession.clone()));
    // A query across a million entries reads them all on the embedded server: minutes, not seconds.
    ApiClient patient = api.withTimeout(java.time.Duration.ofMinutes(10));
    double[] searchAll = time(queries, () -> patient.call("GET", "/api/v1/recorder/search?q=needle-77777&limit=10", null, 200));
    double[] filterAll =
        time(queries, () -> patient.call("GET", "/api/v1/recorder/search?status=404&method=POST&limit=10", null, 200));

    String report =
        "# Storage benchmark\n\n"
            + String.format(
                Locale.ROOT,
                "%,d entries of about %d bytes (2 KiB response body) in %,d sessions, then %d"
                    + " rounds (%d of them warm-up) of %,d more into %d of them (evicting), published to Kafka by one producer and ingested"
                    + " by one storage-service into the embedded Mongo-wire server; then %,d"
                    + " entries of the same kind (20 sessions) from a topic of their own by a second"
                    + " storage-service into a sink that acknowledges without storing; %d runs per"
                    + " query, through control-service's API.%n%n",
                total, exchange(sessions.getFirst(), 0, 0).getSerializedSize(), sessionCount,
                warmup.size() + rounds.size(), warmup.size(), evict, evicting, sinkEntries, queries)
            + "| measure | value |\n|---|---|\n"
            + String.format(Locale.ROOT, "| ingestion filling sessions to the cap, published to stored | %,.0f entries/s (%,d in %.1f s; publishing alone %.1f s) |%n", total / fillSeconds, total, fillSeconds, publishNanos / 1e9)
            + String.format(Locale.ROOT, "| ingestion with eviction (%d full sessions, every entry evicts one) | %,.0f entries/s, median of %d rounds of %,d after %d warm-up (range %s; warm-up %s entries/s; median round %.1f s, %,.0f evicted, %,.0f of them at once) |%n", evicting, evict / evictSeconds, rounds.size(), evict, warmup.size(), evictRange, warmupRates, evictSeconds, evictedCount, atOnceCount)
            + (alone == null
                ? "| storage-service alone, into a no-cost Mongo-wire sink | not run (--sink-entries 0) |\n"
                : String.format(Locale.ROOT, "| storage-service alone, into a no-cost Mongo-wire sink | %,.0f entries/s (%,d in %.1f s after the first third) |%n", alone.entries() / alone.seconds(), alone.entries(), alone.seconds())
                    + String.format(Locale.ROOT, "| storage-service alone, CPU per entry (all its threads) | %.1f µs: %,.0f entries/s per core it has to itself |%n", alone.microsPerEntry(), 1e6 / alone.microsPerEntry()))
            + String.format(Locale.ROOT, "| CPU per entry with eviction (each process, all its threads) | %s |%n", used.perEntry(evict))
            + row("list 100 of a 1,000-entry session (first page)", list)
            + row("list 100 of a 1,000-entry session (offset 900)", listLast)
            + row("search q= within one session", searchSession)
            + row(String.format(Locale.ROOT, "search q= across all %,d entries", total), searchAll)
            + row(String.format(Locale.ROOT, "search status+method across all %,d entries", total), filterAll);
    System.out.println(report);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.exit(0);
  }

  /**
   * Publishes {@code count} entries (entry {@code n} to {@code sessionOf(n)}) and waits until
   * storage counted them all stored; returns how long publishing alone took.
   */
  private static long publishAndAwait(
      TapedeckSystem system, int count, java.util.function.IntFunction<String> sessionOf, int base)
      throws Exception {
    String storage = system.service("storage").url();
    double before = metric(storage, "tapedeck_storage_entries_stored_total");
    long started = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = producer(system)) {
      long micros = System.currentTimeMillis() * 1000;
      for (int n = 0; n < count; n++) {
        String session = sessionOf.apply(n);
        CapturedExchange exchange = exchange(session, base + n, micros + n);
        producer.send(new ProducerRecord<>("tapedeck.exchanges.v1", session, exchange.toByteArray()));
      }
    }
    long published = System.nanoTime() - started;
    // Every 250 ms: rendering the metrics costs the service a little each time.
    while (metric(storage, "tapedeck_storage_entries_stored_total") - before < count) {
      Thread.sleep(250);
    }
    return published;
  }

  /** What the storage-service against the sink did. */
  private record ServiceOnly(long entries, double seconds, double cpuSeconds) {
    double microsPerEntry() {
      return cpuSeconds * 1e6 / entries;
    }
  }

  /**
   * A round of ingestion with eviction: how long it took, the entries evicted, how many of them at
   * once (never written, so not what the round means to measure: 0 when a poll brings no session
   * more records than its cap), and the CPU used.
   */
  private record EvictionRound(double seconds, double evicted, double atOnce, CpuBudget cpu) {}

  private static final String EVICTED_AT_ONCE = "tapedeck_storage_entries_evicted_at_once_total";

  /**
   * CPU seconds used so far by each process on the ingestion path: storage-service, the embedded
   * stack's Mongo-wire store (the stack's own JVM), its Kafka broker (the stack's child JVM),
   * control-service (it follows the entry events), and this benchmark (the producer).
   */
  private record CpuBudget(double storage, double store, double kafka, double control, double bench) {
    static CpuBudget of(TapedeckSystem system) {
      long stack = system.stack().pid();
      double kafka =
          ProcessHandle.of(stack).stream()
              .flatMap(ProcessHandle::descendants)
              .mapToDouble(p -> cpuSeconds(p.pid()))
              .filter(v -> !Double.isNaN(v))
              .sum();
      return new CpuBudget(
          cpuSeconds(system.service("storage").pid()),
          cpuSeconds(stack),
          kafka,
          cpuSeconds(system.service("control").pid()),
          cpuSeconds(ProcessHandle.current().pid()));
    }

    CpuBudget minus(CpuBudget o) {
      return new CpuBudget(
          storage - o.storage, store - o.store, kafka - o.kafka, control - o.control, bench - o.bench);
    }

    /** Microseconds per entry for {@code entries}, each process named. */
    String perEntry(int entries) {
      double f = 1e6 / entries;
      return String.format(
          Locale.ROOT,
          "storage-service %.0f µs, Mongo-wire store %.0f µs, Kafka %.0f µs, control-service %.0f µs,"
              + " benchmark (producer) %.0f µs; %.0f µs in all",
          storage * f, store * f, kafka * f, control * f, bench * f,
          (storage + store + kafka + control + bench) * f);
    }
  }

  /** CPU time a process has used so far (user and system, all its threads), in seconds. */
  static double cpuSeconds(long pid) {
    return ProcessHandle.of(pid)
            .flatMap(p -> p.info().totalCpuDuration())
            .map(d -> d.toNanos() / 1e9)
            .orElse(Double.NaN);
  }

  /**
   * Publishes {@code expected} entries to a topic of their own, then starts a second
   * storage-service on it whose MongoDB is a {@link NullMongoSink}, in a consumer group of its own
   * and with its entry events on a topic nobody reads; times it from the first third stored (the
   * JVM's warm-up) to the last.
   */
  private static ServiceOnly serviceOnly(TapedeckSystem system, int expected, String jfr) throws Exception {
    String topic = "tapedeck.bench.sink-exchanges." + UUID.randomUUID();
    try (KafkaProducer<String, byte[]> producer = producer(system)) {
      long micros = System.currentTimeMillis() * 1000;
      int perSession = Math.max(1, expected / 20);
      for (int n = 0; n < expected; n++) {
        String session = "sink-session-" + (n / perSession);
        producer.send(new ProducerRecord<>(topic, session, exchange(session, n, micros + n).toByteArray()));
      }
    }
    try (NullMongoSink sink = new NullMongoSink()) {
      int httpPort = dev.tapedeck.testkit.Ports.free();
      Map<String, String> env = new java.util.HashMap<>(system.layout().env(dev.tapedeck.devstack.Service.STORAGE));
      env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
      env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(dev.tapedeck.testkit.Ports.free()));
      env.put("QUARKUS_MONGODB_CONNECTION_STRING", sink.uri());
      env.put("TAPEDECK_KAFKA_CONSUMER_GROUP", "tapedeck-storage-bench-sink-" + UUID.randomUUID());
      env.put("TAPEDECK_KAFKA_ENTRY_EVENTS_TOPIC", "tapedeck.bench.entry-events");
      env.put("TAPEDECK_KAFKA_EXCHANGES_TOPIC", topic);
      // Far above a session's share: with the cap's 1,000, a poll of one session's records would
      // evict its older half at once, unwritten, and the service would be measured doing less.
      env.put("TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION", Integer.toString(Math.max(1_000, 2 * expected)));
      Path jar = dev.tapedeck.devstack.Service.STORAGE.runnerJar(system.repoRoot());
      try (dev.tapedeck.devstack.ServiceProcess storage =
          dev.tapedeck.devstack.ServiceProcess.start(
              "storage-sink",
              jar,
              httpPort,
              env,
              system.dataDir().resolve("storage-sink.log"),
              dev.tapedeck.devstack.Service.STORAGE.jvmOptions())) {
        storage.awaitReady(Duration.ofSeconds(90));
        JfrRecording recording = JfrRecording.start(jfr, storage.pid(), "storage-sink");
        String url = "http://127.0.0.1:" + httpPort;
        // Timed from the first third on, so the JVM's warm-up (JIT) is left out: from the first
        // tenth, as before, 100,000 entries ran at half the rate of 300,000 on a slow stretch of a
        // 2-core machine (57 against 24-27 µs of CPU an entry), the JIT's work counted in. Sampled
        // every 100 ms, since each look at the metrics costs the service a little.
        double first = 0;
        long firstAt = 0;
        while (first < expected / 3.0) {
          Thread.sleep(20);
          first = metric(url, "tapedeck_storage_entries_stored_total");
          firstAt = System.nanoTime();
        }
        double cpuAtFirst = cpuSeconds(storage.pid());
        double stored = first;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (stored < expected && System.nanoTime() < deadline) {
          Thread.sleep(100);
          stored = metric(url, "tapedeck_storage_entries_stored_total");
        }
        long end = System.nanoTime();
        double cpu = cpuSeconds(storage.pid()) - cpuAtFirst;
        recording.stop();
        return new ServiceOnly((long) (stored - first), (end - firstAt) / 1e9, cpu);
      }
    }
  }

  /** A JFR recording of another JVM through {@code jcmd}, when {@code --jfr DIR} is given. */
  private record JfrRecording(String dir, long pid, String name) {
    static JfrRecording start(String dir, long pid, String name) throws Exception {
      JfrRecording r = new JfrRecording(dir, pid, name);
      if (!dir.isEmpty()) {
        Files.createDirectories(Path.of(dir));
        r.jcmd("JFR.start", "name=" + name, "settings=profile");
      }
      return r;
    }

    void stop() throws Exception {
      if (!dir.isEmpty()) {
        Path file = Path.of(dir, name + ".jfr").toAbsolutePath();
        jcmd("JFR.stop", "name=" + name, "filename=" + file);
        System.out.println("JFR recording: " + file + " (jfr view hot-methods " + file + ")");
      }
    }

    private void jcmd(String... command) throws Exception {
      List<String> line = new ArrayList<>();
      line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
      line.add(Long.toString(pid));
      line.addAll(List.of(command));
      new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
  }

  private static String row(String what, double[] millis) {
    Arrays.sort(millis);
    return String.format(
        Locale.ROOT,
        "| %s | p50 %.1f ms, p90 %.1f ms, max %.1f ms |%n",
        what,
        millis[millis.length / 2],
        millis[(int) (millis.length * 0.9)],
        millis[millis.length - 1]);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static double[] time(int runs, Call call) throws Exception {
    call.run();
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      call.run();
      millis[i] = (System.nanoTime() - t) / 1e6;
    }
    return millis;
  }

  /** A stopped session with one imported entry, made the way users import a HAR. */
  private static String emptySession(TapedeckSystem system, String name) throws Exception {
    String har =
        "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"startedDateTime\":\"2026-01-01T00:00:00Z\",\"time\":1,"
            + "\"request\":{\"method\":\"GET\",\"url\":\"http://bench.test/seed\",\"headers\":[]},"
            + "\"response\":{\"status\":200,\"headers\":[]},\"timings\":{}}]}}";
    HttpResponse<String> response =
        ApiClient.admin(system)
            .postMultipart(
                "/api/v1/recorder/import", Map.of("name", name), "seed.har", har.getBytes(StandardCharsets.UTF_8));
    if (response.statusCode() != 201) {
      throw new IllegalStateException("import failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    return result.at("/session/id").asText();
  }

  private static KafkaProducer<String, byte[]> producer(TapedeckSystem system) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // What the proxy sends by default (tapedeck.capture.compression).
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static CapturedExchange exchange(String session, int n, long startedMicros) {
    return CapturedExchange.newBuilder()
        .setEntryId(ENTRY_IDS.generate().toString())
        .setSessionId(session)
        .setEntryType(EntryType.HTTP)
        .setStartedAtUnixMicros(startedMicros)
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod(n % 10 == 0 ? "POST" : "GET")
                .setUrl("http://api.bench.test/items/" + n + "?page=" + (n % 7))
                .setHttpVersion("HTTP/1.1")
                .addHeaders(Header.newBuilder().setName("X-Trace").setValue("needle-" + n)))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(n % 20 == 0 ? 404 : 200)
                .setStatusText("OK")
                .addHeaders(Header.newBuilder().setName("Content-Type").setValue("application/json"))
                .setBody(Body.newBuilder().setData(ByteString.copyFrom(BODY)).setSize(BODY.length).setContentType("application/json")))
        .setTimings(Timings.newBuilder().setTotalMs(3.5))
        .build();
  }

  private static byte[] body() {
    StringBuilder json = new StringBuilder("{\"items\":[");
    int i = 0;
    while (json.length() < 2000) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item-").append(i).append("\"}");
      i++;
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static double metric(String serviceUrl, String name) throws Exception {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
