package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * New modification rules arriving as a new session revision are swapped into the open listener
 * while clients keep sending on kept-alive connections: no request fails, no connection is
 * reopened, and every request that starts after the update gets the new rules.
 */
class LiveRulesUpdateTest {
  private Vertx vertx;
  private HttpServer upstream;
  private ListenerManager listeners;
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream =
        vertx
            .createHttpServer()
            .requestHandler(req -> req.response().end(String.valueOf(req.getHeader("X-Rule"))))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    listeners = new ListenerManager(vertx, x -> {}, "test-proxy", "127.0.0.1", 2, InterceptionCaSource.NONE, (s, e) -> reports.add(s.revision() + ""));
  }

  @AfterEach
  void stop() throws Exception {
    listeners.closeAll();
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private SessionSettings session(int port, long revision, String rule) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode("reverse")
            .setTargetUrl("http://127.0.0.1:" + upstream.actualPort())
            .setListenPort(port)
            .setRecord(false)
            .setConfigJson(
                "{\"version\":1,\"policies\":{\"modifications\":{\"requestHeaders\":[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\""
                    + rule + "\"}]}}}")
            .setRevision(revision)
            .build());
  }

  @Test
  void swapsRulesUnderContinuousLoadWithoutAFailedRequest() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    listeners.open(session(port, 1, "A"));
    assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo("1");

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/load");
    AtomicInteger failures = new AtomicInteger();
    ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>(); // {startNanos, endNanos, rule}
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long started = System.nanoTime();
                  try {
                    HttpResponse<String> r =
                        client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      failures.incrementAndGet();
                    }
                    seen.add(new long[] {started, System.nanoTime(), r.body().charAt(0)});
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(1_000);
    SessionSettings rulesB = session(port, 2, "B");
    listeners.open(rulesB);
    long updatedAt = System.nanoTime(); // open() has returned: the new rules are in force
    for (Future<?> w : workers) {
      w.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();

    long before = seen.stream().filter(s -> s[2] == 'A').count();
    long after = seen.stream().filter(s -> s[2] == 'B').count();
    System.out.printf("live update under load: %d requests, %d with old rules, %d with new, %d failed%n",
        seen.size(), before, after, failures.get());
    assertThat(failures.get()).isZero();
    assertThat(before).isPositive();
    assertThat(after).isPositive();
    // Every request that started after the update returned got the new rules.
    assertThat(seen.stream().filter(s -> s[0] > updatedAt && s[2] != 'B')).isEmpty();
    // The same listener served throughout: no second "listening" report.
    assertThat(reports).isEmpty();
  }
}
