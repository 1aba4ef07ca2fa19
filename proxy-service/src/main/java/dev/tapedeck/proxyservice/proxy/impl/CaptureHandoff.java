package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.capture.RecordFit;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

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

  /** Whether a thread is handing over the ready head of the line (guarded by {@link #LINE}). */
  private static boolean draining;

  private CaptureHandoff() {}

  /** A place in the line, taken when an exchange ends; every turn must end in a hand-over or {@link #pass()}. */
  static Turn turn() {
    Turn turn = new Turn();
    synchronized (LINE) {
      LINE.add(turn);
    }
    return turn;
  }

  /**
   * Takes a turn as an exchange ends, then builds its capture with {@code build} (null: nothing to
   * hand over) and hands it over in that turn; the turn is passed if building fails.
   */
  static void finish(CaptureSink sink, SessionSettings s, Supplier<CapturedExchange> build) {
    Turn turn = turn();
    CapturedExchange done = builtInTurn(turn, build);
    if (done != null) {
      turn.publish(sink, s, done);
    }
  }

  /** As {@link #finish}; completes once the capture is durable (at once when none is made). */
  static CompletionStage<Void> finishDurably(CaptureSink sink, SessionSettings s, Supplier<CapturedExchange> build) {
    Turn turn = turn();
    CapturedExchange done = builtInTurn(turn, build);
    return done == null ? CompletableFuture.completedFuture(null) : turn.publishDurably(sink, s, done);
  }

  /**
   * The capture {@code build} makes after its exchange took {@code turn}; the turn is passed when
   * there is none (or building it failed), so later captures go on.
   */
  private static CapturedExchange builtInTurn(Turn turn, Supplier<CapturedExchange> build) {
    CapturedExchange done = null;
    try {
      done = build.get();
      return done;
    } finally {
      if (done == null) {
        turn.pass();
      }
    }
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
     * Computes the capture's serialized size (a walk over the whole message, kept in it once
     * known) before the turn, on the thread that built it, not in the hand-over: the sink sizes
     * every capture it takes, and one thread at a time runs the hand-overs of both event loops.
     */
    private void sizeOutsideTheLine(CapturedExchange done) {
      try {
        done.getSerializedSize();
      } catch (RuntimeException | Error e) {
        pass(); // a turn never readied would hold back every later capture of the process
        throw e;
      }
    }

    /**
     * Marks this turn ready and, unless another thread is at it, hands over every ready turn at the
     * head of the line, in order ({@link #drain}).
     */
    private void ready(Runnable handover) {
      synchronized (LINE) {
        this.handover = handover;
        this.ready = true;
        if (draining) {
          return; // the thread draining hands this one over when the line reaches it
        }
        draining = true;
      }
      drain();
    }
  }

  /**
   * Hands over the ready turns at the head of the line, in order, until none is ready. One thread
   * at a time does it, so no later hand-over can overtake an earlier one on another thread; the
   * lock is held only to take turns off the line, not while the sink queues them (which can wake
   * the publisher thread), so the other event loop is not kept waiting on it.
   */
  private static void drain() {
    List<Runnable> batch = new ArrayList<>();
    RuntimeException failure = null;
    while (true) {
      synchronized (LINE) {
        while (!LINE.isEmpty() && LINE.peek().ready) {
          Runnable next = LINE.poll().handover;
          if (next != null) {
            batch.add(next);
          }
        }
        if (batch.isEmpty()) {
          draining = false;
          break;
        }
      }
      for (Runnable next : batch) {
        try {
          next.run();
        } catch (RuntimeException e) {
          // The others still go; the first failure is the caller's once the line is drained.
          if (failure == null) {
            failure = e;
          }
        }
      }
      batch.clear();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static CapturedExchange underLoad(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    return s.dropOnOverflow() && sink.congested() ? RecordFit.stub(done, DROPPED) : done;
  }
}
