package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.capture.RecordFit;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands a session's finished captures to the sink as its {@code captureOverflow} says: with
 * {@code "drop"}, a capture made while the sink is congested is reduced to its stub (heads only,
 * saying why) instead of adding bodies to the backlog; with {@code "backpressure"} (the default)
 * it goes whole, the listener having held new requests back meanwhile.
 *
 * <p>Captures reach the sink in the order their exchanges ended, across event loops: an exchange
 * takes its {@linkplain #turn() turn} as it ends, before its capture is built (the slowest part of
 * finishing: the first JSON body a process sees costs it a hundred milliseconds of class loading),
 * and a capture built while an earlier turn is still building waits for it. Without the line, a
 * client's next request, on a connection another event loop serves, could be stored first.
 */
final class CaptureHandoff {
  static final String DROPPED = "bodies and frames dropped while capture publishing lagged (captureOverflow: drop)";

  /** The turns taken and not yet handed over, oldest first. */
  private static final ArrayDeque<Turn> LINE = new ArrayDeque<>();

  private CaptureHandoff() {}

  /** A place in the line, taken when an exchange ends; every turn must end in a hand-over or {@link #pass()}. */
  static Turn turn() {
    Turn turn = new Turn();
    synchronized (LINE) {
      LINE.add(turn);
    }
    return turn;
  }

  /** Hands {@code done} over in a turn of its own (parts of a stream, published as they fill). */
  static void publish(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    turn().publish(sink, s, done);
  }

  static final class Turn {
    private Runnable handover;
    private boolean ready;

    private Turn() {}

    /** Hands {@code done} to the sink once every earlier turn has handed over or passed. */
    void publish(CaptureSink sink, SessionSettings s, CapturedExchange done) {
      sizeOutsideTheLine(done);
      ready(() -> sink.accept(underLoad(sink, s, done)));
    }

    /** As {@link #publish}; completes once the capture is durable. */
    CompletionStage<Void> publishDurably(CaptureSink sink, SessionSettings s, CapturedExchange done) {
      sizeOutsideTheLine(done);
      CompletableFuture<Void> durable = new CompletableFuture<>();
      ready(
          () -> sink.acceptDurably(underLoad(sink, s, done))
              .whenComplete((ok, failure) -> {
                if (failure == null) {
                  durable.complete(null);
                } else {
                  durable.completeExceptionally(failure);
                }
              }));
      return durable;
    }

    /** Gives the turn up: nothing to hand over (not recorded, or finished already). */
    void pass() {
      ready(null);
    }

    /**
     * Marks this turn ready and hands over every ready turn at the head of the line, in order. The
     * hand-overs run under the line's lock, so no later one can overtake them on another thread;
     * each only queues the capture for the publisher.
     */
    private void ready(Runnable handover) {
      synchronized (LINE) {
        this.handover = handover;
        this.ready = true;
        while (!LINE.isEmpty() && LINE.peek().ready) {
          Runnable next = LINE.poll().handover;
          if (next != null) {
            next.run();
          }
        }
      }
    }
  }

  /**
   * Computes the capture's serialized size (a walk over the whole message, kept in it once known)
   * before the turn, not in the hand-over: the sink sizes every capture it takes, and under the
   * line's lock that walk kept the other event loop's hand-overs spinning.
   */
  private static void sizeOutsideTheLine(CapturedExchange done) {
    done.getSerializedSize();
  }

  private static CapturedExchange underLoad(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    return s.dropOnOverflow() && sink.congested() ? RecordFit.stub(done, DROPPED) : done;
  }
}
