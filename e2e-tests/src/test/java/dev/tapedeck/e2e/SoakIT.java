package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Soak and faults: mixed traffic (small and 5 MiB bodies, chunked, server-sent events, WebSocket
 * conversations, HTTP/2) through three sessions while storage is killed (SIGKILL) and restarted,
 * Kafka is stopped and started, control-service is restarted and the proxy is stopped (SIGTERM)
 * and restarted. Afterwards, in every session, every request whose answer arrived whole is stored
 * exactly once, nothing is stored that was not sent, and the proxy's spool is empty.
 *
 * <p>Runs {@code tapedeck.soak.seconds} of traffic (24 in {@code make test}; {@code make soak}
 * runs minutes) and prints the counts.
 */
class SoakIT {
  private static final Pattern ID = Pattern.compile("[?&]id=([0-9]+-[0-9]+)");
  private static final int LARGE = 5 * 1024 * 1024;
  private static final int SESSIONS = 3;

  @Test
  void mixedTrafficThroughFaultsIsStoredOnceAndWhole() throws Exception {
    long seconds = Long.getLong("tapedeck.soak.seconds", 24);
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess storage = system.service("storage");
    ServiceProcess proxy = system.service("proxy");
    ServiceProcess control = system.service("control");
    Vertx vertx = Vertx.vertx();
    List<String> sessionIds = new ArrayList<>();
    // Sessions keep every entry here, so "stored once" can be checked for all of them.
    storage.restartWith(Map.of("TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION", "1000000"));
    storage.awaitReady(Duration.ofSeconds(60));
    try (MongoClient mongo = MongoClients.create(system.mongoUri())) {
      int upstream = upstream(vertx).actualPort();
      List<Traffic> traffic = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        JsonNode session =
            api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:" + upstream + "\"}", 201)
                .get("session");
        sessionIds.add(session.get("id").asText());
        traffic.add(new Traffic(s, session.get("listenPort").asInt()));
      }
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> clients = traffic.stream().map(t -> Thread.ofPlatform().start(() -> t.run(running))).toList();

      long start = System.nanoTime();
      Thread.sleep(seconds * 150); // 15% in
      storage.kill();
      Thread.sleep(2000);
      storage.restartWith(Map.of("TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION", "1000000"));
      storage.awaitReady(Duration.ofSeconds(60));
      sleepUntil(start, seconds * 350);
      system.stack().stopKafka();
      Thread.sleep(5000);
      system.stack().startKafka();
      sleepUntil(start, seconds * 550);
      control.restart();
      control.awaitReady(Duration.ofSeconds(60));
      sleepUntil(start, seconds * 750);
      proxy.stop(); // SIGTERM: the proxy publishes or spools what it captured before it exits
      proxy.restart();
      proxy.awaitReady(Duration.ofSeconds(60));
      sleepUntil(start, Math.max(seconds * 1000, (System.nanoTime() - start) / 1_000_000 + 3000));
      running.set(false);
      for (Thread c : clients) {
        c.join();
      }

      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      Map<String, Integer> stored = Map.of();
      boolean complete = false;
      while (!complete && System.nanoTime() < deadline) {
        stored = storedIds(mongo, sessionIds);
        complete = true;
        for (Traffic t : traffic) {
          complete &= stored.keySet().containsAll(t.answered.keySet());
        }
        if (!complete) {
          Thread.sleep(500);
        }
      }
      Thread.sleep(2000); // a duplicate would arrive now
      stored = storedIds(mongo, sessionIds);
      for (Traffic t : traffic) {
        long storedHere = stored.keySet().stream().filter(id -> id.startsWith(t.session + "-")).count();
        System.out.printf(
            "SoakIT session %d: %d sent, %d answered whole (%s), %d stored%n",
            t.session, t.sent.size(), t.answered.size(), t.kinds(), storedHere);
      }
      System.out.printf(
          "SoakIT: %d s of traffic; spool %.0f records; stubbed %.0f; back-pressure %.1f s%n",
          seconds,
          ServiceMetrics.value(proxy, "tapedeck_capture_spool_records"),
          ServiceMetrics.value(proxy, "tapedeck_capture_stubbed_total"),
          ServiceMetrics.value(proxy, "tapedeck_capture_backpressure_seconds_total"));
      for (Traffic t : traffic) {
        assertThat(t.answered).as("session %d answered something", t.session).isNotEmpty();
        assertThat(stored.keySet()).as("every answered request of session %d stored", t.session).containsAll(t.answered.keySet());
      }
      Set<String> sent = ConcurrentHashMap.newKeySet();
      traffic.forEach(t -> sent.addAll(t.sent));
      assertThat(sent).as("nothing stored that was not sent").containsAll(stored.keySet());
      assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
          .as("stored more than once")
          .isEmpty();
      assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_spool_records")).isZero();
    } finally {
      // Clean-up, not a check: each session holds about 150 MiB of 1 MiB bodies in GridFS, and
      // deleting one took more than the client's usual 30 s once under CI's load.
      ApiClient cleanup = api.withTimeout(Duration.ofMinutes(2));
      for (String id : sessionIds) {
        cleanup.send("DELETE", "/api/v1/recorder/" + id, null);
      }
      storage.restart();
      storage.awaitReady(Duration.ofSeconds(60));
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void sleepUntil(long start, long millis) throws InterruptedException {
    long left = millis - (System.nanoTime() - start) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  /** Request ids stored in the sessions, with how many entries each has. */
  private static Map<String, Integer> storedIds(MongoClient mongo, List<String> sessions) {
    Map<String, Integer> ids = new HashMap<>();
    for (Document d :
        mongo.getDatabase("tapedeck")
            .getCollection("entries")
            .find(Filters.in("sessionId", sessions))
            .projection(Projections.include("url"))) {
      Matcher m = ID.matcher(d.getString("url"));
      if (m.find()) {
        ids.merge(m.group(1), 1, Integer::sum);
      }
    }
    return ids;
  }

  private static HttpServer upstream(Vertx vertx) throws Exception {
    Buffer large = Buffer.buffer(new byte[LARGE]);
    return vertx
        .createHttpServer()
        .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
        .requestHandler(
            req -> {
              switch (req.path()) {
                case "/large" -> req.response().putHeader("Content-Type", "application/octet-stream").end(large);
                case "/chunked" -> {
                  req.response().setChunked(true).putHeader("Content-Type", "text/plain");
                  req.response().write("one,");
                  req.response().write("two,");
                  req.response().end("three");
                }
                case "/sse" -> {
                  req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                  for (int i = 1; i <= 3; i++) {
                    req.response().write("id: " + i + "\ndata: tick " + i + "\n\n");
                  }
                  req.response().end();
                }
                default -> req.response().putHeader("Content-Type", "text/plain").end("ok");
              }
            })
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** One session's client: a request at a time, of a kind that cycles, each with a unique id. */
  private static final class Traffic {
    final int session;
    final int port;
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Map<String, String> answered = new ConcurrentHashMap<>();
    private final HttpClient http1 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient http2 =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();

    Traffic(int session, int port) {
      this.session = session;
      this.port = port;
    }

    void run(AtomicBoolean running) {
      for (int n = 0; running.get(); n++) {
        String id = session + "-" + n;
        String kind =
            switch (n % 10) {
              case 0 -> "large";
              case 1 -> "chunked";
              case 2 -> "sse";
              case 3 -> "websocket";
              case 4 -> "http2";
              default -> "small";
            };
        sent.add(id);
        try {
          if (exchange(kind, id)) {
            answered.put(id, kind);
          }
        } catch (Exception e) {
          sleep(50); // a service is away: not answered, try the next one
        }
      }
    }

    private boolean exchange(String kind, String id) throws Exception {
      String base = "http://127.0.0.1:" + port;
      return switch (kind) {
        case "large" -> get(http1, base + "/large?id=" + id).length == LARGE;
        case "chunked" -> new String(get(http1, base + "/chunked?id=" + id)).equals("one,two,three");
        case "sse" -> new String(get(http1, base + "/sse?id=" + id)).contains("data: tick 3");
        case "http2" -> new String(get(http2, base + "/h2?id=" + id)).equals("ok");
        case "websocket" -> webSocket("ws://127.0.0.1:" + port + "/ws?id=" + id);
        default -> new String(get(http1, base + "/small?id=" + id)).equals("ok");
      };
    }

    private static byte[] get(HttpClient client, String url) throws Exception {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("status " + r.statusCode());
      }
      return r.body();
    }

    private boolean webSocket(String url) throws Exception {
      CountDownLatch echoes = new CountDownLatch(5);
      WebSocket ws =
          http1
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(
                  URI.create(url),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      if (last) {
                        echoes.countDown();
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        ws.sendText("message " + i, true).get(5, TimeUnit.SECONDS);
      }
      boolean all = echoes.await(10, TimeUnit.SECONDS);
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      // The entry is published when the proxy has seen both closes.
      Thread.sleep(20);
      return all;
    }

    String kinds() {
      Map<String, Integer> counts = new HashMap<>();
      answered.values().forEach(k -> counts.merge(k, 1, Integer::sum));
      return counts.toString();
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
