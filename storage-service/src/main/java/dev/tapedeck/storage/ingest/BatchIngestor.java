package dev.tapedeck.storage.ingest;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.entry.EntryRef;
import dev.tapedeck.storage.entry.EntryWriter;
import dev.tapedeck.storage.entry.SourcedExchange;
import dev.tapedeck.storage.entry.WriteOutcome;
import dev.tapedeck.storage.events.EntryEventPublisher;
import dev.tapedeck.storage.events.EntryEvents;
import dev.tapedeck.storage.metrics.StorageMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * Handles one polled batch of exchange records.
 *
 * <ol>
 *   <li>Decodes the records.
 *   <li>Writes the decodable exchanges to MongoDB (idempotently, evicting beyond the cap), in
 *       parts of at most {@link #CHUNK_BYTES}.
 *   <li>Announces each stored and evicted entry on the entry-events topic.
 *   <li>Moves the undecodable records to the dead-letter topic and waits for the broker.
 * </ol>
 *
 * <p>Returning normally means every record of the batch is dealt with and its offset may be
 * committed; an exception means the batch must be processed again.
 */
@ApplicationScoped
public class BatchIngestor {

  private static final Logger LOG = Logger.getLogger(BatchIngestor.class);

  /** Batches of at least this many stored entries build their events on several cores. */
  private static final int PARALLEL_FROM = 64;

  private final EntryWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final EntryEventPublisher events;
  private final StorageMetrics metrics;

  @Inject
  BatchIngestor(
      EntryWriter writer,
      DeadLetterPublisher deadLetters,
      EntryEventPublisher events,
      StorageMetrics metrics) {
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Decoded bytes written in one go at most. Captures arrive compressed, so a fetch that Kafka's
   * limits keep to a few MiB can decode to many times that; writing it in parts of this size bounds
   * the documents built at once (each about its capture's size).
   */
  static final long CHUNK_BYTES = 32L * 1024 * 1024;

  /** Processes a batch; see the class description. */
  public void ingest(ConsumerRecords<String, ByteBuffer> records) {
    DecodedBatch batch = ExchangeDecoder.decode(records);

    for (List<SourcedExchange> chunk : chunks(batch.exchanges(), CHUNK_BYTES)) {
      report(writer.write(chunk));
    }

    if (!batch.rejected().isEmpty()) {
      batch
          .rejected()
          .forEach(
              r ->
                  LOG.warnf(
                      "dead-lettering record %s-%d@%d: %s",
                      r.record().topic(), r.record().partition(), r.record().offset(), r.reason()));
      deadLetters.publish(batch.rejected());
      metrics.deadLettered(batch.rejected().size());
    }
  }

  /**
   * {@code exchanges} in order, cut into runs of at most {@code maxBytes} of record bytes (a single
   * larger exchange is a run of its own).
   */
  static List<List<SourcedExchange>> chunks(List<SourcedExchange> exchanges, long maxBytes) {
    List<List<SourcedExchange>> chunks = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < exchanges.size(); i++) {
      long size = exchanges.get(i).bytes().size();
      if (i > from && bytes + size > maxBytes) {
        chunks.add(exchanges.subList(from, i));
        from = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (from < exchanges.size()) {
      chunks.add(exchanges.subList(from, exchanges.size()));
    }
    return chunks;
  }

  /** Stores exchanges of an import, in order, with their metrics and entry events. */
  public WriteOutcome ingestImported(List<CapturedExchange> exchanges) {
    WriteOutcome outcome = writer.writeImported(exchanges);
    report(outcome);
    return outcome;
  }

  private void report(WriteOutcome outcome) {
    metrics.stored(outcome.stored().size());
    metrics.duplicates(outcome.duplicates());
    metrics.evicted(outcome.evicted().size());
    metrics.evictedAtOnce(outcome.evictedAtOnce());
    long now = System.currentTimeMillis() * 1000;
    // Building and encoding the events is per-entry work: spread over the cores for a large
    // batch; sent in order.
    List<EntryEventPublisher.Encoded> stored =
        (outcome.stored().size() >= PARALLEL_FROM
                ? outcome.stored().parallelStream()
                : outcome.stored().stream())
            .map(EntryEventPublisher.Encoded::stored)
            .toList();
    stored.forEach(events::publish);
    for (EntryRef evicted : outcome.evicted()) {
      events.publish(EntryEvents.evicted(evicted, now));
    }
  }
}
