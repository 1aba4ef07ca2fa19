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
 * Tapedeck as a cluster of pods, on this machine: two proxy processes behind HAProxy (TCP mode) on
 * a session's port, two storage processes in one consumer group, one control, one converter, the
 * embedded Kafka and Mongo-wire server ({@link MultiPodSystem}, separate from the shared system).
 * Under steady load one proxy process is killed with SIGKILL and a replacement started, then the
 * storage process that is storing the session's entries is killed with SIGKILL.
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
 *       is matched to its connection, and must have gone to the killed proxy and been accepted
 *       before that process had exited. With one connection per request and 4 clients, at most 4
 *       connections can be open on the killed process at that moment, which bounds the failures.
 *   <li>Connections accepted after the kill, before HAProxy's health check (every 200 ms, down
 *       after one failure) notices, reach a port nobody listens on; HAProxy gets a refusal and
 *       redispatches them to a live proxy, so the client sees nothing. The test reports how many.
 *   <li>Killing storage must cost the clients nothing: capture is decoupled through Kafka.
 * </ul>
 *
 * <p>"Every completed exchange is stored exactly once": every request whose response arrived has
 * exactly one document in {@code entries} (matched by its unique query), no document is there
 * that no client sent, a failed request is stored at most once, and the session's sequence numbers
 * are unique, increase in the order each proxy published (checked per client and per proxy), and
 * have no gap except at most one left by the killed storage process (it may die between taking a
 * number and inserting the entry; the replayed record then takes a new number).
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

  @Test
  void killingAProxyAndAStorageUnderLoadFailsOnlyTheKilledProxysConnectionsAndStoresEveryExchangeOnce()
      throws Exception {
    assumeTrue(
        HaproxyBalancer.binary().isPresent(),
        "haproxy is not installed: this test balances a session port over proxy processes with"
            + " HAProxy (Debian: apt-get install haproxy; .ci/run installs it). Skipped.");
    long testStart = System.nanoTime();
    Path repo = RepoRoot.find();
    Path data = Files.createTempDirectory("tapedeck-multipod-");
    try (UpstreamServer upstream =
            UpstreamServer.start().route("GET", "/load", req -> UpstreamResponse.text(200, "ok"));
        MultiPodSystem system = MultiPodSystem.start(repo, data, 2, STORAGE_ENV)) {
      ServiceProcess proxy1 = system.addProxy("proxy-1", "127.0.0.2");
      ServiceProcess proxy2 = system.addProxy("proxy-2", "127.0.0.3");
      proxy1.awaitReady(READY);
      proxy2.awaitReady(READY);
      ApiClient api = new ApiClient(system.controlUrl(), system.adminKey());
      JsonNode session =
          api.call(
                  "POST",
                  "/api/v1/recorder/start",
                  "{\"targetUrl\":\"" + upstream.url() + "\"}",
                  201)
              .get("session");
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();
      awaitListening("127.0.0.2", port);
      awaitListening("127.0.0.3", port);
      long startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStart);

      Run run;
      try (HaproxyBalancer balancer =
          HaproxyBalancer.start(
              data.resolve("haproxy-sessions"),
              port,
              List.of(
                  new HaproxyBalancer.Server("proxy-1", "127.0.0.2", port),
                  new HaproxyBalancer.Server("proxy-2", "127.0.0.3", port),
                  // The replacement: declared now, down until its process listens.
                  new HaproxyBalancer.Server("proxy-3", "127.0.0.4", port)))) {
        run = runScenario(system, balancer);
      }

      // Every completed exchange reaches MongoDB, through the surviving storage process.
      List<Outcome> completed = run.outcomes().stream().filter(Outcome::ok).toList();
      long drainStart = System.nanoTime();
      List<Document> entries;
      try (MongoClient mongo = MongoClients.create(system.mongoUri())) {
        MongoCollection<Document> collection =
            mongo.getDatabase("tapedeck").getCollection("entries");
        entries = awaitEntries(collection, id, completed.size(), Duration.ofSeconds(60));
      }
      long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
      long survivorStored = MultiPodSystem.storedCount(run.survivingStorage());

      Report report = new Report(run, entries, startupMillis, drainMillis, survivorStored);
      System.out.println(report.describe());

      report.assertFailuresOnlyOnTheKilledProxysOpenConnections();
      report.assertEveryCompletedExchangeStoredExactlyOnce();
      report.assertSequenceNumbersUniqueOrderedAndGapFree();
      assertThat(report.servedBy("proxy-3"))
          .as("the replacement proxy took connections")
          .isPositive();
      assertThat(survivorStored)
          .as("the surviving storage process took over the killed one's partition")
          .isPositive();
      // The API answers through the surviving storage (control reaches it via the balancer).
      api.awaitEntryTotal(id, entries.size(), Duration.ofSeconds(30));
      System.out.printf(
          "MultiPodIT: whole test %d s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - testStart));
    }
  }

  /**
   * What happened during the load.
   *
   * @param proxyKilledAtMillis when the killed proxy process had exited (epoch ms)
   * @param storageKilledAtMillis when the killed storage process had exited (epoch ms)
   */
  private record Run(
      List<Outcome> outcomes,
      List<BalancedConnection> connections,
      long loadStartedAtMillis,
      long proxyKilledAtMillis,
      long replacementReadyAtMillis,
      long storageKilledAtMillis,
      long loadStoppedAtMillis,
      String killedStorage,
      ServiceProcess survivingStorage) {}

  private static Run runScenario(MultiPodSystem system, HaproxyBalancer balancer)
      throws Exception {
    SteadyLoad load = SteadyLoad.start("127.0.0.1", balancer.port(), "/load", CLIENTS, PAUSE);
    long loadStartedAt = System.currentTimeMillis();
    List<Outcome> outcomes;
    long proxyKilledAt;
    long replacementReadyAt;
    long storageKilledAt;
    String killedStorage;
    ServiceProcess survivor;
    try {
      Thread.sleep(5_000);
      proxyKilledAt = killHard(system.proxies().get("proxy-1"));

      Thread.sleep(1_000);
      ServiceProcess proxy3 = system.addProxy("proxy-3", "127.0.0.4");
      proxy3.awaitReady(READY);
      replacementReadyAt = System.currentTimeMillis();
      awaitServed(balancer, "proxy-3", Duration.ofSeconds(10));
      Thread.sleep(1_000);

      // Kill the storage process that is storing this session's entries (its partition's owner).
      Map<String, Long> stored = new HashMap<>();
      for (Map.Entry<String, ServiceProcess> e : system.storages().entrySet()) {
        stored.put(e.getKey(), MultiPodSystem.storedCount(e.getValue()));
      }
      killedStorage =
          stored.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      assertThat(stored.get(killedStorage)).as("entries stored before the kill").isPositive();
      survivor =
          system.storages().entrySet().stream()
              .filter(e -> !e.getKey().equals(killedStorage))
              .findFirst()
              .orElseThrow()
              .getValue();
      storageKilledAt = killHard(system.storages().get(killedStorage));
      // Long enough for the group to notice (session timeout 6 s) and the survivor to catch up.
      Thread.sleep(9_000);
    } finally {
      outcomes = load.stop();
    }
    long loadStoppedAt = System.currentTimeMillis();
    return new Run(
        outcomes,
        balancer.connections(),
        loadStartedAt,
        proxyKilledAt,
        replacementReadyAt,
        storageKilledAt,
        loadStoppedAt,
        killedStorage,
        survivor);
  }

  /** SIGKILL, then waits for the exit; returns when it had exited (epoch ms). */
  private static long killHard(ServiceProcess process) throws Exception {
    ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().get(10, TimeUnit.SECONDS);
    return System.currentTimeMillis();
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
    private static final String KILLED = "proxy-1";

    private final Run run;
    private final List<Document> entries;
    private final long startupMillis;
    private final long drainMillis;
    private final long survivorStored;
    private final Map<String, List<Document>> entriesByPath;
    private final Map<Outcome, Optional<BalancedConnection>> connectionOf = new HashMap<>();

    Report(Run run, List<Document> entries, long startupMillis, long drainMillis, long survivorStored) {
      this.run = run;
      this.entries = entries;
      this.startupMillis = startupMillis;
      this.drainMillis = drainMillis;
      this.survivorStored = survivorStored;
      this.entriesByPath =
          entries.stream().collect(Collectors.groupingBy(d -> pathOf(d.getString("url"))));
      for (Outcome outcome : run.outcomes()) {
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
      return run.connections().stream()
          .filter(c -> c.clientPort() == outcome.localPort())
          .filter(c -> Math.abs(c.acceptedAtMillis() - outcome.startedAtMillis()) < 2_000)
          .min(Comparator.comparingLong(c -> Math.abs(c.acceptedAtMillis() - outcome.startedAtMillis())));
    }

    long servedBy(String server) {
      return run.connections().stream().filter(c -> c.server().equals(server)).count();
    }

    List<Outcome> failures() {
      return run.outcomes().stream().filter(o -> !o.ok()).toList();
    }

    /** Completed requests with no entry: the exchanges lost. */
    List<Outcome> lost() {
      return run.outcomes().stream()
          .filter(Outcome::ok)
          .filter(o -> !entriesByPath.containsKey(o.path()))
          .toList();
    }

    void assertFailuresOnlyOnTheKilledProxysOpenConnections() {
      List<Outcome> failures = failures();
      assertThat(failures.size())
          .as("failures are at most the connections open on the killed proxy (one per client)")
          .isLessThanOrEqualTo(CLIENTS);
      for (Outcome failure : failures) {
        BalancedConnection connection =
            connectionOf
                .get(failure)
                .orElseThrow(
                    () -> new AssertionError("no HAProxy connection for failed " + failure));
        assertThat(connection.server())
            .as("failed %s went to the killed proxy (%s)", failure, connection)
            .isEqualTo(KILLED);
        assertThat(connection.acceptedAtMillis())
            .as("failed %s was open before the kill (%s)", failure, connection)
            .isLessThanOrEqualTo(run.proxyKilledAtMillis());
      }
    }

    void assertEveryCompletedExchangeStoredExactlyOnce() {
      assertThat(lost()).as("completed exchanges with no entry").isEmpty();
      Map<String, Integer> duplicated = new TreeMap<>();
      entriesByPath.forEach(
          (path, docs) -> {
            if (docs.size() > 1) {
              duplicated.put(path, docs.size());
            }
          });
      assertThat(duplicated).as("requests stored more than once").isEmpty();
      List<String> sent = run.outcomes().stream().map(Outcome::path).toList();
      assertThat(sent).as("every entry is a request a client sent").containsAll(entriesByPath.keySet());
    }

    void assertSequenceNumbersUniqueOrderedAndGapFree() {
      List<Long> seqs = entries.stream().map(d -> d.get("seq", Number.class).longValue()).toList();
      assertThat(seqs).as("sequence numbers").doesNotHaveDuplicates();
      long gaps = seqs.isEmpty() ? 0 : seqs.getLast() - seqs.size();
      assertThat(gaps)
          .as("numbers skipped (at most one, by the killed storage process)")
          .isBetween(0L, 1L);
      // One client's requests through one proxy were published in order, so stored in order.
      Map<String, Long> lastSeq = new HashMap<>();
      for (Outcome outcome : run.outcomes().stream().filter(Outcome::ok).toList()) {
        String server = connectionOf.get(outcome).map(BalancedConnection::server).orElse("?");
        List<Document> docs = entriesByPath.get(outcome.path());
        if (docs == null) {
          continue;
        }
        long seq = docs.getFirst().get("seq", Number.class).longValue();
        String key = outcome.client() + "@" + server;
        Long previous = lastSeq.put(key, seq);
        assertThat(previous == null || previous < seq)
            .as("client %d via %s: request %d stored after the one before", outcome.client(), server, outcome.n())
            .isTrue();
      }
    }

    String describe() {
      List<Outcome> outcomes = run.outcomes();
      long ok = outcomes.stream().filter(Outcome::ok).count();
      double seconds = (run.loadStoppedAtMillis() - run.loadStartedAtMillis()) / 1000.0;
      StringBuilder text = new StringBuilder("MultiPodIT figures\n");
      text.append(String.format("  startup (stack, 6 services, session): %.1f s%n", startupMillis / 1000.0));
      text.append(
          String.format(
              "  load: %d clients, %.1f s, %d requests, %d completed, %d failed (%.0f req/s)%n",
              CLIENTS, seconds, outcomes.size(), ok, outcomes.size() - ok, outcomes.size() / seconds));
      text.append(
          String.format(
              "  proxy-1 killed at +%.1f s, proxy-3 ready at +%.1f s, %s killed at +%.1f s, load stopped at +%.1f s%n",
              rel(run.proxyKilledAtMillis()),
              rel(run.replacementReadyAtMillis()),
              run.killedStorage(),
              rel(run.storageKilledAtMillis()),
              rel(run.loadStoppedAtMillis())));
      text.append(
          String.format(
              "  connections by server: proxy-1 %d, proxy-2 %d, proxy-3 %d; redispatched after a refusal: %d%n",
              servedBy("proxy-1"),
              servedBy("proxy-2"),
              servedBy("proxy-3"),
              run.connections().stream().filter(BalancedConnection::redispatched).count()));
      for (Outcome failure : failures()) {
        text.append(
            String.format(
                "  failure: %s started %+d ms from the proxy kill, ended %+d ms: %s; HAProxy: %s%n",
                failure.path(),
                failure.startedAtMillis() - run.proxyKilledAtMillis(),
                failure.endedAtMillis() - run.proxyKilledAtMillis(),
                failure.error(),
                connectionOf.get(failure).map(Object::toString).orElse("none")));
      }
      for (Outcome lost : lost()) {
        text.append(
            String.format(
                "  LOST: %s ended %+d ms from the proxy kill; HAProxy: %s%n",
                lost.path(),
                lost.endedAtMillis() - run.proxyKilledAtMillis(),
                connectionOf.get(lost).map(Object::toString).orElse("none")));
      }
      long failedStored =
          failures().stream().filter(f -> entriesByPath.containsKey(f.path())).count();
      text.append(
          String.format(
              "  stored: %d entries, %d distinct requests (%d of the failed ones), max seq %d; all stored %.1f s after the load stopped; survivor stored %d%n",
              entries.size(),
              entriesByPath.size(),
              failedStored,
              entries.isEmpty() ? 0 : entries.getLast().get("seq", Number.class).longValue(),
              drainMillis / 1000.0,
              survivorStored));
      text.append(String.format("  storage pause around the kill: %.1f s%n", storagePauseMillis() / 1000.0));
      return text.toString();
    }

    /** The longest gap between consecutive storedAt times after the storage kill. */
    private long storagePauseMillis() {
      List<Long> times =
          entries.stream()
              .map(d -> d.getDate("storedAt").getTime())
              .filter(t -> t >= run.storageKilledAtMillis() - 1_000)
              .sorted()
              .toList();
      long pause = 0;
      long previous = run.storageKilledAtMillis();
      for (long t : times) {
        pause = Math.max(pause, t - previous);
        previous = Math.max(previous, t);
      }
      return pause;
    }

    private double rel(long millis) {
      return (millis - run.loadStartedAtMillis()) / 1000.0;
    }
  }
}
