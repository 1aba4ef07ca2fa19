package dev.tapedeck.storage.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of what ingestion did, exported at {@code /q/metrics} from startup on, at zero. */
@Startup
@ApplicationScoped
public class StorageMetrics {

  private final Counter stored;
  private final Counter duplicates;
  private final Counter deadLettered;
  private final Counter evicted;
  private final Counter evictedAtOnce;
  private final AtomicLong consumerLag = new AtomicLong();

  /** Registers the counters in {@code registry}. */
  @Inject
  public StorageMetrics(MeterRegistry registry) {
    stored =
        Counter.builder("tapedeck.storage.entries.stored")
            .description("Captured exchanges written as new entries")
            .register(registry);
    duplicates =
        Counter.builder("tapedeck.storage.entries.duplicates")
            .description("Redelivered exchanges skipped because their entry id was stored")
            .register(registry);
    deadLettered =
        Counter.builder("tapedeck.storage.records.dead.lettered")
            .description("Records that could not be decoded, moved to the dead-letter topic")
            .register(registry);
    evicted =
        Counter.builder("tapedeck.storage.entries.evicted")
            .description("Entries deleted to keep a session within its entry cap")
            .register(registry);
    evictedAtOnce =
        Counter.builder("tapedeck.storage.entries.evicted.at.once")
            .description(
                "Entries evicted as their batch stored them, never written: the batch brought their"
                    + " session more new entries than its cap (counted in stored and evicted too)")
            .register(registry);
    Gauge.builder("tapedeck.storage.consumer.lag", consumerLag, AtomicLong::get)
        .description(
            "Records on the exchanges topic not yet consumed, at most over this consumer's"
                + " partitions (the Kafka client's records-lag-max)")
        .register(registry);
  }

  /** The consumer lag its client reported after the latest poll. */
  public void consumerLag(double lag) {
    consumerLag.set(Math.round(lag));
  }

  /** Counts {@code n} new entries. */
  public void stored(int n) {
    stored.increment(n);
  }

  /** Counts {@code n} redelivered exchanges that were skipped. */
  public void duplicates(int n) {
    duplicates.increment(n);
  }

  /** Counts {@code n} records moved to the dead-letter topic. */
  public void deadLettered(int n) {
    deadLettered.increment(n);
  }

  /** Counts {@code n} entries evicted by the session cap. */
  public void evicted(int n) {
    evicted.increment(n);
  }

  /** Counts {@code n} entries evicted at once, never written. */
  public void evictedAtOnce(int n) {
    evictedAtOnce.increment(n);
  }
}
