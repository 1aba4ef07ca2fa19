package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.KeepAliveLoad;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * A 15-second keep-alive load of 64 KiB responses through a recording session, 32 connections, as
 * {@code wrk -c32 -d15s} makes it: every answered exchange is stored exactly once. Compared with
 * the proxy's and storage's own counters, as an operator would: storage's stored entries grow by
 * exactly the answered requests, no duplicates, and the proxy lost, stubbed and overflowed none.
 * Prints the load's rate, how long back-pressure held, and how long storage took to catch up.
 */
class KeepAliveLoadIT {
  private static final int BODY = 64 * 1024;

  @Test
  void aFifteenSecondKeepAliveLoadOf64KiBResponsesIsStoredWholeAndOnce() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess proxy = system.service("proxy");
    ServiceProcess storage = system.service("storage");
    byte[] bytes = new byte[BODY];
    new Random(13).nextBytes(bytes);
    Buffer body = Buffer.buffer(bytes);
    // A Vert.x upstream, as fast as the proxy, so the load measures the proxy and the pipeline.
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer upstream =
          vertx
              .createHttpServer()
              .requestHandler(req -> req.response().putHeader("Content-Type", "application/octet-stream").end(body))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:" + upstream.actualPort() + "\"}", 201)
              .get("session");
      int port = session.get("listenPort").asInt();
      // Settle what earlier tests left in flight before taking the counters.
      awaitLagZero(storage, Duration.ofSeconds(60));
      double storedBefore = ServiceMetrics.value(storage, "tapedeck_storage_entries_stored_total");
      double duplicatesBefore = ServiceMetrics.value(storage, "tapedeck_storage_entries_duplicates_total");
      double lossBefore = proxyLosses(proxy);
      double heldBefore = ServiceMetrics.value(proxy, "tapedeck_capture_backpressure_seconds_total");

      KeepAliveLoad.Result load = KeepAliveLoad.run(port, "/load", 32, Duration.ofSeconds(15));
      long loadEnded = System.nanoTime();

      assertThat(load.failed()).isZero();
      assertThat(load.answered()).isPositive();
      assertThat(load.bodyBytes()).isEqualTo(load.answered() * BODY);
      double stored = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (System.nanoTime() < deadline) {
        stored = ServiceMetrics.value(storage, "tapedeck_storage_entries_stored_total") - storedBefore;
        if (stored >= load.answered()) {
          break;
        }
        Thread.sleep(200);
      }
      double caughtUpSeconds = (System.nanoTime() - loadEnded) / 1e9;
      Thread.sleep(1000); // anything beyond the answered count would show up now
      stored = ServiceMetrics.value(storage, "tapedeck_storage_entries_stored_total") - storedBefore;
      double held = ServiceMetrics.value(proxy, "tapedeck_capture_backpressure_seconds_total") - heldBefore;
      System.out.printf(
          "KeepAliveLoadIT: %d answered in %.1f s (%.0f req/s, 64 KiB each), %d failed; stored %.0f;"
              + " back-pressure held %.2f s; storage caught up %.1f s after the load%n",
          load.answered(), load.elapsed().toMillis() / 1000.0, load.requestsPerSecond(), load.failed(), stored, held,
          caughtUpSeconds);
      assertThat(stored).as("entries stored for the answered exchanges").isEqualTo((double) load.answered());
      assertThat(ServiceMetrics.value(storage, "tapedeck_storage_entries_duplicates_total") - duplicatesBefore).isZero();
      assertThat(proxyLosses(proxy) - lossBefore).as("captures the proxy lost, stubbed or cut").isZero();
      assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_spool_records")).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static double proxyLosses(ServiceProcess proxy) throws Exception {
    return ServiceMetrics.value(proxy, "tapedeck_capture_spool_overflow_total")
        + ServiceMetrics.value(proxy, "tapedeck_capture_stubbed_total")
        + ServiceMetrics.value(proxy, "tapedeck_capture_lost_total");
  }

  private static void awaitLagZero(ServiceProcess storage, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ServiceMetrics.value(storage, "tapedeck_storage_consumer_lag") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }
}
