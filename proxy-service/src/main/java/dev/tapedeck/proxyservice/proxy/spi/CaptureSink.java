package dev.tapedeck.proxyservice.proxy.spi;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where captured exchanges go. Called on the event loop once an exchange completes: an
 * implementation must never block (hand off to its own bounded executor) and must never lose an
 * exchange silently (store it, or store a stub that says what was lost).
 *
 * <p>A sink that falls behind says so through {@link #congested()}: the listeners of sessions
 * with {@code captureOverflow: "backpressure"} then stop taking new requests until {@link
 * #whenRelieved} runs them.
 */
public interface CaptureSink {
  /** Takes a finished capture. */
  void accept(CapturedExchange exchange);

  /**
   * Takes a finished capture; the stage completes once it is durable (acknowledged by Kafka, or
   * written to the proxy's disk spool), for sessions with {@code durability: "acked"}.
   */
  default CompletionStage<Void> acceptDurably(CapturedExchange exchange) {
    accept(exchange);
    return CompletableFuture.completedFuture(null);
  }

  /** True while the sink is behind the traffic (its queue or its spool is near full). */
  default boolean congested() {
    return false;
  }

  /** Runs {@code then} once the sink is no longer congested (at once if it is not); any thread. */
  default void whenRelieved(Runnable then) {
    then.run();
  }

  /**
   * The most bytes one capture may serialize to (the broker's record limit, less framing): a
   * stream whose frames outgrow it is recorded as several linked entries.
   */
  default int captureBudget() {
    return Integer.MAX_VALUE;
  }
}
