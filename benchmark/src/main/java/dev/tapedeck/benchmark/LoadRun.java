package dev.tapedeck.benchmark;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator when {@code wrk} is not installed: a closed loop in which {@code connections}
 * connections (keep-alive, or a new one per request when {@code cold}) each send the next GET as
 * soon as the previous response's body is in (or, paced, a fixed pause after it), for a fixed
 * time. Latency is from sending the request to the last byte of the response.
 */
final class LoadRun {
  private LoadRun() {}

  static Load.Result run(
      Vertx vertx,
      int port,
      String uri,
      int connections,
      boolean cold,
      Duration warmup,
      Duration duration,
      Duration pause)
      throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(!cold), new PoolOptions().setHttp1MaxSize(connections));
    try {
      RequestOptions request =
          new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri);
      Pacing pacing = new Pacing(vertx, pause.toMillis());
      phase(client, request, connections, warmup, pacing, new ConcurrentHistogram(3), new AtomicLong(), new AtomicLong());
      Histogram latency = new ConcurrentHistogram(3);
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long start = System.nanoTime();
      phase(client, request, connections, duration, pacing, latency, ok, errors);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Load.Result(
          ok.get(),
          errors.get(),
          seconds,
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(90) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0);
    } finally {
      client.close();
    }
  }

  private static void phase(
      HttpClient client,
      RequestOptions request,
      int connections,
      Duration length,
      Pacing pacing,
      Histogram latency,
      AtomicLong ok,
      AtomicLong errors)
      throws Exception {
    long end = System.nanoTime() + length.toNanos();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loops.add(done);
      next(client, request, end, pacing, latency, ok, errors, done);
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
        .get(length.toSeconds() + 60, TimeUnit.SECONDS);
  }

  private static void next(
      HttpClient client,
      RequestOptions request,
      long end,
      Pacing pacing,
      Histogram latency,
      AtomicLong ok,
      AtomicLong errors,
      CompletableFuture<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete(null);
      return;
    }
    long sent = System.nanoTime();
    client
        .request(request)
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() == 200) {
                latency.recordValue((System.nanoTime() - sent) / 1000);
                ok.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
              pacing.then(() -> next(client, request, end, pacing, latency, ok, errors, done));
            });
  }

  /** The pause before each connection's next request: none, or a timer of {@code millis}. */
  private record Pacing(Vertx vertx, long millis) {
    void then(Runnable next) {
      if (millis <= 0) {
        next.run();
      } else {
        vertx.setTimer(millis, id -> next.run());
      }
    }
  }
}
