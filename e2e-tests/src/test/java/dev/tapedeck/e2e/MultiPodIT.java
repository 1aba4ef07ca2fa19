package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.BalancedConnection;
import dev.tapedeck.testkit.HaproxyBalancer;
import dev.tapedeck.testkit.MultiPodSystem;
import dev.tapedeck.testkit.RepoRoot;
import dev.tapedeck.testkit.SteadyLoad;
import dev.tapedeck.testkit.SteadyLoad.Outcome;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Tapedeck as a cluster of pods, on this machine: proxy processes behind HAProxy (TCP mode) on a
 * session's port, storage processes in one consumer group, one control, one converter, the
 * embedded Kafka and Mongo-wire server ({@link MultiPodSystem}, separate from the shared system).
 * Processes are stopped under steady load, and what the clients saw is compared with what was
 * stored.
 *
 * <p>What "no failures beyond connections that were open on the killed process" means here, and
 * how it is checked:
 *
 * <ul>
 *   <li>The clients ({@link SteadyLoad}: 4 threads, one request per connection, never retrying)
 *       count every request whose whole response did not arrive as a failure. Retrying would hide
 *       exactly what is being measured.
 *   <li>HAProxy logs every client connection with the client's source port, the server it went
 *       to and when it was accepted; each client request knows its source port. So each failure
 *       is matched to its connection, which must have gone to a stopped proxy and been open while
 *       it stopped (started before the process had exited, ended after the signal). With one
 *       connection per request and 4 clients, 4 connections at most are open on a process when
 *       it is signalled; its socket may accept a few more while the killed JVM exits (about 100
 *       ms), before it closes. The report prints how many were open in all.
 *   <li>Connections accepted after a proxy died, before HAProxy's health check (every 200 ms, down
 *       after one failure) notices, reach a port nobody listens on; HAProxy gets a refusal and
 *       redispatches them to a live proxy, so the client sees nothing. The test reports how many.
 *   <li>Killing storage must cost the clients nothing: capture is decoupled through Kafka.
 * </ul>
 *
 * <p>"Every completed exchange is stored exactly once": every request whose response arrived has
 * exactly one document in {@code entries} (matched by its unique query), no document is there
 * that no client sent, a failed request is stored at most once, and the session's sequence numbers
 * are unique, increase in the order each proxy published (checked per client and per proxy), and
 * have no gap except at most one left by a killed storage process (it may die between taking a
 * number and inserting the entry; the replayed record then takes a new number).
 *
 * <p><strong>One exception, which the test measures rather than hides:</strong> a proxy ends the
 * response to the client first and publishes the capture to Kafka after it (a queue, a publisher
 * thread, the producer's 5 ms linger). A proxy killed with SIGKILL loses the captures of exchanges
 * it completed before whose captures had not reached Kafka yet. Such a lost exchange is accepted
 * only if HAProxy's log shows it went through the SIGKILLed proxy, it ended before that process
 * had exited, and no exchange that proxy answered later was stored (it publishes in the order it
 * answers, so the lost ones must be the tail of that order); each is printed as {@code LOST}. Any
 * other missing exchange fails the test. (Seen: 0 to 3 per run, completed at most 88 ms before the
 * kill; 5 in one run on an overloaded machine, completed up to 4.3 s before it.)
 *
 * <p>Storage failover takes Kafka's consumer session timeout: 45 s by default, set here to 6 s
 * (the broker's minimum) with {@code KAFKA_SESSION_TIMEOUT_MS}, so the test stays short.
 */
class MultiPodIT {
  private static final int CLIENTS = 4;
  private static final Duration PAUSE = Duration.ofMillis(20);
  private static final Duration READY = Duration.ofSeconds(90);

  private static final Map<String, String> STORAGE_ENV =
      Map.of(
          // Failover after a hard kill takes the consumer session timeout; 6 s is Kafka's minimum.
          "KAFKA_SESSION_TIMEOUT_MS", "6000",
          "KAFKA_HEARTBEAT_INTERVAL_MS", "1000",
          // Far above what the test sends, so no entry is evicted and every one can be counted.
          "TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION", "1000000");

  /**
   * The scenario of issue 8: two proxies and two storages; under load proxy-1 is killed (SIGKILL)
   * and a replacement, proxy-3, started; then the storage process that is storing the session's
   * entries is killed (SIGKILL), and the load goes on until the other has taken over.
   */
  @Test
  void proxyAndStorageKilledUnderLoadFailOnlyTheKilledProxysConnectionsAndStoreEachExchangeOnce()
      throws Exception {
    requireHaproxy();
    try (Cluster cluster = Cluster.start(2, List.of("proxy-1", "proxy-2"), List.of("proxy-3"))) {
      SteadyLoad load = cluster.startLoad();
      List<ProcessStop> stops = new ArrayList<>();
      long replacementReadyAt;
      long storageKilledAt;
      String killedStorage;
      ServiceProcess survivor;
      long survivorStoredBefore;
      List<Outcome> outcomes;
      try {
        Thread.sleep(5_000);
        stops.add(ProcessStop.kill(cluster.system.proxies().get("proxy-1")));

        Thread.sleep(1_000);
        ServiceProcess proxy3 = cluster.system.addProxy("proxy-3", address("proxy-3"));
        proxy3.awaitReady(READY);
        replacementReadyAt = System.currentTimeMillis();
        awaitServed(cluster.balancer, "proxy-3", Duration.ofSeconds(10));

        // Kill the storage process that is storing this session's entries (its partition's
        // owner): the one whose count of stored entries grows. It counts a batch once written,
        // and a batch may take seconds, so watch for a while.
        Map<String, Long> before = storedCounts(cluster.system);
        Map<String, Long> growth;
        long watchUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        do {
          Thread.sleep(200);
          growth = storedCounts(cluster.system);
          growth.replaceAll((name, count) -> count - before.get(name));
        } while (growth.values().stream().allMatch(g -> g <= 0) && System.nanoTime() < watchUntil);
        killedStorage =
            growth.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(growth.get(killedStorage)).as("entries being stored before the kill").isPositive();
        survivor =
            cluster.system.storages().entrySet().stream()
                .filter(e -> !e.getKey().equals(killedStorage))
                .findFirst()
                .orElseThrow()
                .getValue();
        survivorStoredBefore = MultiPodSystem.storedCount(survivor);
        storageKilledAt =
            ProcessStop.kill(cluster.system.storages().get(killedStorage)).exitedAtMillis();
        // Long enough for the group to notice (session timeout 6 s) and the survivor to catch up.
        Thread.sleep(9_000);
      } finally {
        outcomes = load.stop();
      }
      Report report = cluster.report(outcomes, stops, storageKilledAt);
      long survivorStored = MultiPodSystem.storedCount(survivor) - survivorStoredBefore;
      System.out.println(
          report.describe()
              + String.format(
                  "  proxy-3 ready %.1f s after the proxy-1 kill; %s SIGKILL at +%.1f s, the survivor"
                      + " stored %d entries after it%n",
                  (replacementReadyAt - stops.getFirst().sentAtMillis()) / 1000.0,
                  killedStorage,
                  report.rel(storageKilledAt),
                  survivorStored));

      report.assertFailuresOnlyOnConnectionsOpenOnStoppedProxies();
      report.assertCompletedExchangesStoredExactlyOnceSaveASigkilledProxysLastCaptures();
      report.assertSequenceNumbersUniqueOrderedAndGapFree(1);
      assertThat(report.servedBy("proxy-3"))
          .as("the replacement proxy took connections")
          .isPositive();
      assertThat(survivorStored)
          .as("the surviving storage process took over the killed one's partition")
          .isPositive();
      // The API answers through the surviving storage (control reaches it via the balancer).
      cluster.api.awaitEntryTotal(cluster.sessionId, report.entries.size(), Duration.ofSeconds(30));
      cluster.printDuration();
    }
  }

  /**
   * A proxy stopped the way Kubernetes stops a pod (SIGTERM, time to shut down) must store every
   * exchange it answered: unlike SIGKILL, it has the time to hand its captures to Kafka.
   */
  @Test
  void gracefullyStoppedProxyStoresEveryExchangeItAnswered() throws Exception {
    requireHaproxy();
    try (Cluster cluster = Cluster.start(1, List.of("proxy-1", "proxy-2"), List.of())) {
      SteadyLoad load = cluster.startLoad();
      List<ProcessStop> stops = new ArrayList<>();
      List<Outcome> outcomes;
      try {
        Thread.sleep(5_000);
        stops.add(ProcessStop.terminate(cluster.system.proxies().get("proxy-1")));
        Thread.sleep(4_000);
      } finally {
        outcomes = load.stop();
      }
      Report report = cluster.report(outcomes, stops, 0);
      System.out.println(report.describe());

      report.assertFailuresOnlyOnConnectionsOpenOnStoppedProxies();
      assertThat(report.lost()).as("completed exchanges with no entry").isEmpty();
      report.assertCompletedExchangesStoredExactlyOnceSaveASigkilledProxysLastCaptures();
      report.assertSequenceNumbersUniqueOrderedAndGapFree(0);
      cluster.printDuration();
    }
  }

  private static Map<String, Long> storedCounts(MultiPodSystem system) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    for (Map.Entry<String, ServiceProcess> e : system.storages().entrySet()) {
      counts.put(e.getKey(), MultiPodSystem.storedCount(e.getValue()));
    }
    return counts;
  }

  private static void requireHaproxy() {
    assumeTrue(
        HaproxyBalancer.binary().isPresent(),
        "haproxy is not installed: this test balances a session port over proxy processes with"
            + " HAProxy (Debian: apt-get install haproxy; .ci/run installs it). Skipped.");
  }

  /** proxy-1 binds 127.0.0.2, proxy-2 127.0.0.3, ...: all of 127/8 is loopback on Linux. */
  private static String address(String proxy) {
    return "127.0.0." + (Integer.parseInt(proxy.substring("proxy-".length())) + 1);
  }

  /**
   * A proxy (or storage) process stopped during the load.
   *
   * @param hard SIGKILL (true) or SIGTERM
   * @param sentAtMillis when the signal was sent (epoch ms)
   * @param exitedAtMillis when the process had exited (epoch ms)
   */
  private record ProcessStop(String process, boolean hard, long sentAtMillis, long exitedAtMillis) {
    /** SIGKILL, then waits for the exit. */
    static ProcessStop kill(ServiceProcess process) throws Exception {
      long sent = System.currentTimeMillis();
      ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
      handle.destroyForcibly();
      handle.onExit().get(10, TimeUnit.SECONDS);
      return new ProcessStop(process.name(), true, sent, System.currentTimeMillis());
    }

    /** SIGTERM, up to 10 s to shut down (then SIGKILL, which the report would show). */
    static ProcessStop terminate(ServiceProcess process) {
      long sent = System.currentTimeMillis();
      process.stop();
      return new ProcessStop(process.name(), false, sent, System.currentTimeMillis());
    }

    /**
     * Whether a request that went to {@code server} was open on this process while it stopped:
     * started before the process had exited, ended after the signal. The client's own times are
     * used: HAProxy's connection durations were seen to be off by up to a second on a loaded
     * machine.
     */
    boolean wasOpenDuring(Outcome request, String server) {
      return server.equals(process)
          && request.startedAtMillis() <= exitedAtMillis
          && request.endedAtMillis() >= sentAtMillis;
    }
  }

  /** The system, a recording session on it, and HAProxy over the session's port. */
  private static final class Cluster implements AutoCloseable {
    private final long startedAt;
    private final UpstreamServer upstream;
    private final MultiPodSystem system;
    private ApiClient api;
    private String sessionId;
    private HaproxyBalancer balancer;
    private long loadStartedAtMillis;
    private long startupMillis;

    private Cluster(long startedAt, UpstreamServer upstream, MultiPodSystem system) {
      this.startedAt = startedAt;
      this.upstream = upstream;
      this.system = system;
    }

    /**
     * Starts the system with {@code storages} storage processes and {@code proxies}, a session,
     * and HAProxy over its port with {@code proxies} and {@code spares} (down until started).
     */
    static Cluster start(int storages, List<String> proxies, List<String> spares) throws Exception {
      long startedAt = System.nanoTime();
      Path data = Files.createTempDirectory("tapedeck-multipod-");
      UpstreamServer upstream =
          UpstreamServer.start().route("GET", "/load", req -> UpstreamResponse.text(200, "ok"));
      Cluster cluster;
      try {
        cluster =
            new Cluster(
                startedAt,
                upstream,
                MultiPodSystem.start(RepoRoot.find(), data, storages, STORAGE_ENV));
      } catch (RuntimeException e) {
        upstream.close();
        throw e;
      }
      try {
        cluster.startSession(proxies, spares);
        return cluster;
      } catch (Exception | AssertionError e) {
        cluster.close();
        throw e;
      }
    }

    private void startSession(List<String> proxies, List<String> spares) throws Exception {
      List<ServiceProcess> started = new ArrayList<>();
      for (String proxy : proxies) {
        started.add(system.addProxy(proxy, address(proxy)));
      }
      for (ServiceProcess proxy : started) {
        proxy.awaitReady(READY);
      }
      api = new ApiClient(system.controlUrl(), system.adminKey());
      JsonNode session =
          api.call(
                  "POST",
                  "/api/v1/recorder/start",
                  "{\"targetUrl\":\"" + upstream.url() + "\"}",
                  201)
              .get("session");
      sessionId = session.get("id").asText();
      int port = session.get("listenPort").asInt();
      List<HaproxyBalancer.Server> servers = new ArrayList<>();
      for (String proxy : proxies) {
        awaitListening(address(proxy), port);
        servers.add(new HaproxyBalancer.Server(proxy, address(proxy), port));
      }
      for (String spare : spares) {
        servers.add(new HaproxyBalancer.Server(spare, address(spare), port));
      }
      balancer = HaproxyBalancer.start(system.dataDir().resolve("haproxy-sessions"), port, servers);
      startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }

    SteadyLoad startLoad() {
      loadStartedAtMillis = System.currentTimeMillis();
      return SteadyLoad.start("127.0.0.1", balancer.port(), "/load", CLIENTS, PAUSE);
    }

    /** Waits for the completed exchanges to be stored (or not), then builds the report. */
    Report report(List<Outcome> outcomes, List<ProcessStop> stops, long storageKilledAtMillis)
        throws InterruptedException {
      long loadStoppedAt = System.currentTimeMillis();
      int completed = (int) outcomes.stream().filter(Outcome::ok).count();
      List<Document> entries;
      try (MongoClient mongo = MongoClients.create(system.mongoUri())) {
        entries =
            awaitEntries(
                mongo.getDatabase("tapedeck").getCollection("entries"),
                sessionId,
                completed,
                Duration.ofSeconds(60));
      }
      return new Report(
          outcomes,
          balancer.connections(),
          balancer.droppedLogs(),
          stops,
          entries,
          startupMillis,
          loadStartedAtMillis,
          loadStoppedAt,
          storageKilledAtMillis);
    }

    void printDuration() {
      System.out.printf(
          "MultiPodIT: whole test %d s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt));
    }

    @Override
    public void close() {
      try {
        if (balancer != null) {
          balancer.close();
        }
        system.close();
      } finally {
        upstream.close();
      }
    }
  }

  private static void awaitListening(String host, int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("nothing listens on " + host + ":" + port, e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static void awaitServed(HaproxyBalancer balancer, String server, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (balancer.connections().stream().noneMatch(c -> c.server().equals(server))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "HAProxy sent no connection to " + server + " within " + timeout + ": "
                + balancer.events());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until the session holds at least {@code expected} entries and no more arrive, or the
   * count has not moved for 10 s (some are missing: the checks then say which), or the timeout.
   */
  private static List<Document> awaitEntries(
      MongoCollection<Document> entries, String sessionId, int expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long count = -1;
    long changedAt = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = entries.countDocuments(Filters.eq("sessionId", sessionId));
      if (now != count) {
        changedAt = System.nanoTime();
      } else if (now >= expected
          || System.nanoTime() - changedAt > Duration.ofSeconds(10).toNanos()) {
        break;
      }
      count = now;
      Thread.sleep(500);
    }
    return entries
        .find(Filters.eq("sessionId", sessionId))
        .projection(Projections.include("_id", "url", "seq", "storedAt"))
        .sort(Sorts.ascending("seq"))
        .into(new ArrayList<>());
  }

  /** The figures and the checks over one run. */
  private static final class Report {
    private final List<Outcome> outcomes;
    private final List<BalancedConnection> connections;
    private final long droppedLogs;
    private final List<ProcessStop> stops;
    private final List<Document> entries;
    private final long startupMillis;
    private final long loadStartedAtMillis;
    private final long loadStoppedAtMillis;
    private final long storageKilledAtMillis;
    private final Map<String, List<Document>> entriesByPath;
    private final Map<Outcome, Optional<BalancedConnection>> connectionOf = new HashMap<>();

    Report(
        List<Outcome> outcomes,
        List<BalancedConnection> connections,
        long droppedLogs,
        List<ProcessStop> stops,
        List<Document> entries,
        long startupMillis,
        long loadStartedAtMillis,
        long loadStoppedAtMillis,
        long storageKilledAtMillis) {
      this.outcomes = outcomes;
      this.connections = connections;
      this.droppedLogs = droppedLogs;
      this.stops = stops;
      this.entries = entries;
      this.startupMillis = startupMillis;
      this.loadStartedAtMillis = loadStartedAtMillis;
      this.loadStoppedAtMillis = loadStoppedAtMillis;
      this.storageKilledAtMillis = storageKilledAtMillis;
      this.entriesByPath =
          entries.stream().collect(Collectors.groupingBy(d -> pathOf(d.getString("url"))));
      for (Outcome outcome : outcomes) {
        connectionOf.put(outcome, connectionOf(outcome));
      }
    }

    private static String pathOf(String url) {
      int at = url.indexOf("/load?");
      return at < 0 ? url : url.substring(at);
    }

    /** HAProxy's line for the request's connection: same client port, accepted around its start. */
    private Optional<BalancedConnection> connectionOf(Outcome outcome) {
      if (outcome.localPort() < 0) {
        return Optional.empty();
      }
      return connections.stream()
          .filter(c -> c.clientPort() == outcome.localPort())
          .filter(c -> Math.abs(c.acceptedAtMillis() - outcome.startedAtMillis()) < 2_000)
          .min(
              Comparator.comparingLong(
                  c -> Math.abs(c.acceptedAtMillis() - outcome.startedAtMillis())));
    }

    private BalancedConnection requireConnection(Outcome outcome) {
      return connectionOf
          .get(outcome)
          .orElseThrow(() -> new AssertionError(
                      "HAProxy logged no connection for "
                          + outcome
                          + " (HAProxy's count of log lines it dropped: "
                          + droppedLogs
                          + ")"));
    }

    /**
     * Stored requests that went through {@code server} and started after {@code millis}. A proxy
     * publishes its captures in the order it answered (one publisher thread, an idempotent
     * producer, one partition per session), so once a later one is stored an earlier one cannot
     * still be on its way: if any exists, an earlier missing one was not lost to the kill.
     */
    private List<Outcome> storedStartedAfter(String server, long millis) {
      return outcomes.stream()
          .filter(o -> o.startedAtMillis() > millis)
          .filter(o -> entriesByPath.containsKey(o.path()))
          .filter(o -> connectionOf.get(o).map(c -> c.server().equals(server)).orElse(false))
          .toList();
    }

    long servedBy(String server) {
      return connections.stream().filter(c -> c.server().equals(server)).count();
    }

    List<Outcome> failures() {
      return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /** Completed requests with no entry: the exchanges lost. */
    List<Outcome> lost() {
      return outcomes.stream()
          .filter(Outcome::ok)
          .filter(o -> !entriesByPath.containsKey(o.path()))
          .toList();
    }

    void assertFailuresOnlyOnConnectionsOpenOnStoppedProxies() {
      for (Outcome failure : failures()) {
        BalancedConnection connection = requireConnection(failure);
        assertThat(stops.stream().anyMatch(s -> s.wasOpenDuring(failure, connection.server())))
            .as("failed %s was open on a proxy while it stopped: %s (%s)", failure, connection, stops)
            .isTrue();
      }
    }

    void assertCompletedExchangesStoredExactlyOnceSaveASigkilledProxysLastCaptures() {
      for (Outcome lost : lost()) {
        BalancedConnection connection = requireConnection(lost);
        boolean unpublishedTailOfKilled =
            stops.stream()
                .filter(ProcessStop::hard)
                .anyMatch(
                    s ->
                        connection.server().equals(s.process())
                            && lost.endedAtMillis() <= s.exitedAtMillis()
                            && storedStartedAfter(s.process(), lost.endedAtMillis()).isEmpty());
        assertThat(unpublishedTailOfKilled)
            .as(
                "completed %s has no entry, and is not among the last exchanges a SIGKILLed proxy"
                    + " answered (%s; %s; stored later through it: %s)",
                lost,
                connection,
                stops,
                storedStartedAfter(connection.server(), lost.endedAtMillis()))
            .isTrue();
      }
      Map<String, Integer> duplicated = new TreeMap<>();
      entriesByPath.forEach(
          (path, docs) -> {
            if (docs.size() > 1) {
              duplicated.put(path, docs.size());
            }
          });
      assertThat(duplicated).as("requests stored more than once").isEmpty();
      List<String> sent = outcomes.stream().map(Outcome::path).toList();
      assertThat(sent)
          .as("every entry is a request a client sent")
          .containsAll(entriesByPath.keySet());
    }

    void assertSequenceNumbersUniqueOrderedAndGapFree(int storageKills) {
      List<Long> seqs = entries.stream().map(d -> d.get("seq", Number.class).longValue()).toList();
      assertThat(seqs).as("sequence numbers").doesNotHaveDuplicates();
      // Storage reserves a batch's numbers in one step before it writes the batch: a storage
      // process killed in between leaves that one batch's numbers unused. So the numbers skipped
      // form at most one run per killed storage process.
      List<Long> sorted = seqs.stream().sorted().toList();
      long runsSkipped = 0;
      long expected = 1;
      for (long seq : sorted) {
        if (seq > expected) {
          runsSkipped++;
        }
        expected = seq + 1;
      }
      assertThat(runsSkipped)
          .as("runs of numbers skipped (at most one per killed storage process)")
          .isBetween(0L, (long) storageKills);
      // One client's requests through one proxy were published in order, so stored in order.
      Map<String, Long> lastSeq = new HashMap<>();
      for (Outcome outcome : outcomes.stream().filter(Outcome::ok).toList()) {
        List<Document> docs = entriesByPath.get(outcome.path());
        if (docs == null) {
          continue;
        }
        String server = requireConnection(outcome).server();
        long seq = docs.getFirst().get("seq", Number.class).longValue();
        Long previous = lastSeq.put(outcome.client() + "@" + server, seq);
        assertThat(previous == null || previous < seq)
            .as(
                "client %d via %s: request %d stored after the one before",
                outcome.client(),
                server,
                outcome.n())
            .isTrue();
      }
    }

    String describe() {
      long ok = outcomes.stream().filter(Outcome::ok).count();
      double seconds = (loadStoppedAtMillis - loadStartedAtMillis) / 1000.0;
      StringBuilder text = new StringBuilder("MultiPodIT figures\n");
      text.append(
          String.format("  startup (stack, services, session): %.1f s%n", startupMillis / 1000.0));
      text.append(
          String.format(
              "  load: %d clients, %.1f s, %d requests, %d completed, %d failed (%.0f req/s)%n",
              CLIENTS, seconds, outcomes.size(), ok, outcomes.size() - ok, outcomes.size() / seconds));
      for (ProcessStop stop : stops) {
        text.append(
            String.format(
                "  %s %s at +%.1f s, exited %d ms later; %d requests were open on it meanwhile%n",
                stop.process(),
                stop.hard() ? "SIGKILL" : "SIGTERM",
                rel(stop.sentAtMillis()),
                stop.exitedAtMillis() - stop.sentAtMillis(),
                outcomes.stream()
                    .filter(
                        o ->
                            connectionOf
                                .get(o)
                                .map(c -> stop.wasOpenDuring(o, c.server()))
                                .orElse(false))
                    .count()));
      }
      Map<String, Long> byServer =
          connections.stream()
              .collect(
                  Collectors.groupingBy(BalancedConnection::server, TreeMap::new, Collectors.counting()));
      text.append(
          String.format(
              "  connections by server: %s; redispatched after a refusal: %d%n",
              byServer,
              connections.stream().filter(BalancedConnection::redispatched).count()));
      for (Outcome failure : failures()) {
        text.append(
            String.format(
                "  failure: %s started at +%.3f s, ended +%.3f s: %s; HAProxy: %s%n",
                failure.path(),
                rel(failure.startedAtMillis()),
                rel(failure.endedAtMillis()),
                failure.error(),
                connectionOf.get(failure).map(Object::toString).orElse("none")));
      }
      for (Outcome lost : lost()) {
        text.append(
            String.format(
                "  LOST: %s completed at +%.3f s; HAProxy: %s%n",
                lost.path(),
                rel(lost.endedAtMillis()),
                connectionOf.get(lost).map(Object::toString).orElse("none")));
      }
      long failedStored =
          failures().stream().filter(f -> entriesByPath.containsKey(f.path())).count();
      text.append(
          String.format(
              "  stored: %d entries, %d distinct requests (%d of the failed ones), max seq %d; last"
                  + " one stored %.1f s after the load stopped%n",
              entries.size(),
              entriesByPath.size(),
              failedStored,
              entries.isEmpty() ? 0 : entries.getLast().get("seq", Number.class).longValue(),
              (lastStoredAtMillis() - loadStoppedAtMillis) / 1000.0));
      text.append(
          String.format(
              "  completed exchanges: %d stored exactly once, %d stored more than once, %d lost%n",
              outcomes.stream()
                  .filter(Outcome::ok)
                  .filter(o -> entriesByPath.getOrDefault(o.path(), List.of()).size() == 1)
                  .count(),
              outcomes.stream()
                  .filter(Outcome::ok)
                  .filter(o -> entriesByPath.getOrDefault(o.path(), List.of()).size() > 1)
                  .count(),
              lost().size()));
      if (storageKilledAtMillis > 0) {
        text.append(
            String.format(
                "  storage pause after the storage kill: %.1f s%n", storagePauseMillis() / 1000.0));
      }
      return text.toString();
    }

    private long lastStoredAtMillis() {
      return entries.stream().mapToLong(d -> d.getDate("storedAt").getTime()).max().orElse(0);
    }

    /** The longest gap between consecutive storedAt times from the storage kill on. */
    private long storagePauseMillis() {
      List<Long> times =
          entries.stream()
              .map(d -> d.getDate("storedAt").getTime())
              .filter(t -> t >= storageKilledAtMillis)
              .sorted()
              .toList();
      long pause = 0;
      long previous = storageKilledAtMillis;
      for (long t : times) {
        pause = Math.max(pause, t - previous);
        previous = t;
      }
      return pause;
    }

    double rel(long millis) {
      return (millis - loadStartedAtMillis) / 1000.0;
    }
  }
}
