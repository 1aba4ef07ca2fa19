package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;

/**
 * Pumps a body from a read stream to a write stream at most at {@code kBps} KiB per second
 * (bandwidth and slow-read toxics), and stops after {@code limitBytes} (the close-after-bytes
 * toxic). The source is paused while the pacer holds data and resumed when it has sent it and the
 * destination has room, so memory stays bounded by one chunk. Without a pace or limit it writes
 * through at once, with the usual backpressure.
 *
 * <p>Data goes out in slices of a twentieth of a second's worth, each when the average since the
 * first byte allows it, so the rate holds over the whole body rather than per chunk.
 */
final class Pacer {
  private final Vertx vertx;
  private final ReadStream<Buffer> source;
  private final WriteStream<Buffer> out;
  private final long bytesPerSecond;
  private final long limitBytes;
  private final Runnable onLimit;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long startNanos = -1;
  private long sent;
  private boolean busy;
  private boolean limited;
  private Runnable onFlushed;

  /**
   * @param kBps pace in KiB/s, 0 for none
   * @param limitBytes bytes after which the rest is dropped and {@code onLimit} runs, 0 for none
   */
  Pacer(Vertx vertx, ReadStream<Buffer> source, WriteStream<Buffer> out, int kBps, long limitBytes, Runnable onLimit) {
    this.vertx = vertx;
    this.source = source;
    this.out = out;
    this.bytesPerSecond = kBps * 1024L;
    this.limitBytes = limitBytes;
    this.onLimit = onLimit;
  }

  /** Bytes written to the destination so far. */
  long sent() {
    return sent;
  }

  /** Takes one chunk from the source. */
  void write(Buffer chunk) {
    if (limited) {
      return;
    }
    if (bytesPerSecond == 0 && limitBytes == 0) {
      sent += chunk.length();
      out.write(chunk);
      if (out.writeQueueFull()) {
        source.pause();
        out.drainHandler(v -> source.resume());
      }
      return;
    }
    queue.add(chunk);
    source.pause();
    if (!busy) {
      pump();
    }
  }

  /** Runs {@code then} once everything taken has been written (at once if nothing is held). */
  void flushed(Runnable then) {
    if (!busy && queue.isEmpty()) {
      then.run();
    } else {
      onFlushed = then;
    }
  }

  private void pump() {
    busy = true;
    Buffer head = queue.peek();
    if (head == null || limited) {
      busy = false;
      queue.clear();
      Runnable flushed = onFlushed;
      onFlushed = null;
      if (flushed != null) {
        flushed.run();
      } else if (!limited) {
        if (out.writeQueueFull()) {
          out.drainHandler(v -> source.resume());
        } else {
          source.resume();
        }
      }
      return;
    }
    if (startNanos < 0) {
      startNanos = System.nanoTime();
    }
    int slice = head.length();
    if (bytesPerSecond > 0) {
      slice = (int) Math.min(slice, Math.max(512, bytesPerSecond / 20));
    }
    if (limitBytes > 0) {
      slice = (int) Math.min(slice, limitBytes - sent);
    }
    long dueNanos = bytesPerSecond == 0 ? 0 : startNanos + sent * 1_000_000_000L / bytesPerSecond;
    long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
    int n = slice;
    Runnable send =
        () -> {
          Buffer first = queue.peek();
          if (first == null) {
            pump();
            return;
          }
          if (n >= first.length()) {
            queue.poll();
            out.write(first);
          } else {
            out.write(first.slice(0, n).copy());
            queue.poll();
            queue.addFirst(first.slice(n, first.length()).copy());
          }
          sent += n;
          if (limitBytes > 0 && sent >= limitBytes) {
            limited = true;
            queue.clear();
            busy = false;
            onLimit.run();
            return;
          }
          pump();
        };
    if (waitMs > 0) {
      vertx.setTimer(waitMs, id -> send.run());
    } else {
      send.run();
    }
  }
}
