package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 200 MiB each way through a reverse listener: the body streams (the heap live after garbage
 * collection stays far below the body's size while it passes), the client gets every byte, and
 * the capture keeps the session's limit with the whole size and a truncated flag.
 */
class LargeBodyTest extends ProxyTestBase {
  private static final long SIZE = 200L << 20;
  private static final int CHUNK = 64 << 10;
  private static final long CAPTURE_LIMIT = 1 << 20;
  /** Growth of the live heap allowed while 200 MiB pass: a quarter of the body. */
  private static final long HEAP_GROWTH_BOUND = SIZE / 4;

  private HttpServer bigUpstream;

  private int startBigUpstream() throws Exception {
    bigUpstream =
        await(vertx.createHttpServer().requestHandler(this::serveBig).listen(0, "127.0.0.1"));
    return bigUpstream.actualPort();
  }

  /** {@code GET /big}: SIZE bytes, written as the client takes them; {@code POST /sink}: counts. */
  private void serveBig(HttpServerRequest req) {
    if (req.path().equals("/sink")) {
      AtomicLong count = new AtomicLong();
      req.handler(chunk -> count.addAndGet(chunk.length()));
      req.endHandler(v -> req.response().end(Long.toString(count.get())));
      return;
    }
    HttpServerResponse out = req.response().putHeader("Content-Length", Long.toString(SIZE));
    Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    AtomicLong left = new AtomicLong(SIZE);
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (left.get() > 0 && !out.writeQueueFull()) {
            left.addAndGet(-CHUNK);
            out.write(chunk);
          }
          if (left.get() > 0) {
            out.drainHandler(v -> pump[0].run());
          } else {
            out.end();
          }
        };
    pump[0].run();
  }

  @Test
  void a200MiBDownloadStreamsWithFlatHeapAndATruncatedCapture() throws Exception {
    int proxyPort = startProxy(settings("reverse", "http://127.0.0.1:" + startBigUpstream(), true, CAPTURE_LIMIT, 1));
    HeapWatch heap = HeapWatch.start();
    long received;
    try (InputStream body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/big"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .body()) {
      received = body.transferTo(java.io.OutputStream.nullOutputStream());
    }
    long growth = heap.stop();

    assertThat(received).isEqualTo(SIZE);
    assertThat(growth).as("live heap growth while 200 MiB passed").isLessThan(HEAP_GROWTH_BOUND);
    CapturedExchange entry = awaitCaptured(1).get(0);
    Body captured = entry.getResponse().getBody();
    assertThat(captured.getSize()).isEqualTo(SIZE);
    assertThat(captured.getTruncated()).isTrue();
    assertThat(captured.getData().size()).isEqualTo((int) CAPTURE_LIMIT);
    System.out.printf("200 MiB download: live heap grew %d KiB at most%n", growth >> 10);
  }

  @Test
  void a200MiBUploadStreamsWithFlatHeapAndATruncatedCapture() throws Exception {
    int proxyPort = startProxy(settings("reverse", "http://127.0.0.1:" + startBigUpstream(), true, CAPTURE_LIMIT, 1));
    HeapWatch heap = HeapWatch.start();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            // Not HTTP_2: the JDK client would send this body in an h2c upgrade request, whose body
            // Vert.x does not pause (docs/limits.md).
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/sink"))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(SIZE)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    long growth = heap.stop();

    assertThat(response.body()).isEqualTo(Long.toString(SIZE));
    assertThat(growth).as("live heap growth while 200 MiB passed").isLessThan(HEAP_GROWTH_BOUND);
    Body captured = awaitCaptured(1).get(0).getRequest().getBody();
    assertThat(captured.getSize()).isEqualTo(SIZE);
    assertThat(captured.getTruncated()).isTrue();
    assertThat(captured.getData().size()).isEqualTo((int) CAPTURE_LIMIT);
    System.out.printf("200 MiB upload: live heap grew %d KiB at most%n", growth >> 10);
  }

  /** {@code size} zero bytes, made as they are read. */
  private static final class ZeroStream extends InputStream {
    private long left;

    ZeroStream(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  /**
   * Samples the heap that is live after a full collection, every 100 ms, and reports the largest
   * growth over where it started. Buffering the body would show as growth near its size.
   */
  private static final class HeapWatch {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong peak = new AtomicLong();
    private final long baseline;
    private final Thread thread;

    private HeapWatch() {
      baseline = liveHeap();
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (running.get()) {
                      peak.accumulateAndGet(liveHeap() - baseline, Math::max);
                      try {
                        Thread.sleep(100);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    static HeapWatch start() {
      return new HeapWatch();
    }

    long stop() throws InterruptedException {
      running.set(false);
      thread.join();
      return peak.get();
    }

    private static long liveHeap() {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
