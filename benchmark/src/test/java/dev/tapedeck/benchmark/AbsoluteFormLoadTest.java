package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Load for a forward proxy: a path that is an absolute URL goes out as the request line's target
 * ({@code GET http://host:port/path HTTP/1.1}), from wrk and from the in-process generator alike,
 * to a server that stands in for the proxy and notes each request-target it gets.
 */
class AbsoluteFormLoadTest {
  private static final String TARGET = "http://127.0.0.1:9/payload-1024.bin";
  private static Vertx vertx;
  private static HttpServer proxy;
  private static final Set<String> targets = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    proxy =
        vertx.createHttpServer()
            .requestHandler(req -> {
              targets.add(req.uri());
              req.response().end("ok");
            })
            .listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @BeforeEach
  void forget() {
    targets.clear();
  }

  @Test
  void theInProcessGeneratorSendsAnAbsoluteUrlAsTheRequestTarget() throws Exception {
    Load.Result r =
        LoadRun.run(vertx, proxy.actualPort(), TARGET, 2, false, Duration.ZERO, Duration.ofMillis(300), Duration.ZERO);

    assertThat(r.errors()).isZero();
    assertThat(r.requests()).isPositive();
    assertThat(targets).containsExactly(TARGET);
  }

  @Test
  void wrkSendsAnAbsoluteUrlAsTheRequestTargetPacedOrNot() throws Exception {
    Assumptions.assumeTrue(WrkRun.installed(), "wrk is not installed (make bench installs it)");
    Load.Result full = WrkRun.run(proxy.actualPort(), TARGET, 2, false, Duration.ofSeconds(1), Duration.ZERO);
    Load.Result paced = WrkRun.run(proxy.actualPort(), TARGET, 2, false, Duration.ofSeconds(1), Duration.ofMillis(5));

    assertThat(full.errors()).isZero();
    assertThat(paced.errors()).isZero();
    // Paced, each of the 2 connections waits 5 ms before each request: at most 400 a second.
    assertThat(paced.rps()).isLessThan(400.0).isLessThan(full.rps());
    assertThat(targets).containsExactly(TARGET);
  }
}
