package dev.tapedeck.proxyservice.capture;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A capture sink for tests: captures go into a collection the test reads; it can be made to lag
 * ({@link #congested}) and to catch up ({@link #relieve}), as Kafka's sink does under load; its
 * record budget is the test's; and a durable capture waits for the test to complete its future.
 */
public final class HoldingSink implements CaptureSink {
  private final Collection<CapturedExchange> captured;
  private final int budget;
  /** While set, the sink says it lags: a recording session's new requests wait. */
  public volatile boolean congested;
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  /** One future per capture taken with {@code durability: "acked"}, in order; the test completes them. */
  public final List<CompletableFuture<Void>> durable = new CopyOnWriteArrayList<>();

  public HoldingSink(Collection<CapturedExchange> captured, int budget) {
    this.captured = captured;
    this.budget = budget;
  }

  public HoldingSink(Collection<CapturedExchange> captured) {
    this(captured, Integer.MAX_VALUE);
  }

  @Override
  public void accept(CapturedExchange exchange) {
    captured.add(exchange);
  }

  @Override
  public CompletionStage<Void> acceptDurably(CapturedExchange exchange) {
    captured.add(exchange);
    CompletableFuture<Void> f = new CompletableFuture<>();
    durable.add(f);
    return f;
  }

  @Override
  public boolean congested() {
    return congested;
  }

  @Override
  public void whenRelieved(Runnable then) {
    waiting.add(then);
    if (!congested) {
      relieve();
    }
  }

  /** The sink has caught up: what waited goes on, in order. */
  public void relieve() {
    congested = false;
    Runnable next;
    while ((next = waiting.poll()) != null) {
      next.run();
    }
  }

  @Override
  public int captureBudget() {
    return budget;
  }
}
