package dev.tapedeck.storage.entry;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes captured exchanges as entries, idempotently.
 *
 * <ol>
 *   <li>Skips records at or below their partition's ingested offset: they were stored before and
 *       are being redelivered (their entries may have been evicted since).
 *   <li>Skips an exchange whose entry id is already stored (the proxy published it twice): it
 *       neither duplicates the entry nor takes a new sequence number.
 *   <li>Takes the session's next sequence number and inserts the entry document.
 *   <li>Raises the partitions' ingested offsets.
 *   <li>Evicts the oldest entries of each session of the batch beyond the cap.
 * </ol>
 *
 * <p>Eviction comes after step 4, so no record whose entry was evicted can be stored again. A
 * failure part way leaves the entries written so far; writing the batch again completes it, which
 * is how the ingestion loop retries.
 */
public final class EntryWriter {

  private final EntryRepository repository;
  private final SessionSequences sequences;
  private final IngestedOffsets offsets;
  private final SessionCap cap;
  private final Clock clock;

  /** A writer over these collections and cap, stamping entries with {@code clock}. */
  public EntryWriter(
      EntryRepository repository,
      SessionSequences sequences,
      IngestedOffsets offsets,
      SessionCap cap,
      Clock clock) {
    this.repository = repository;
    this.sequences = sequences;
    this.offsets = offsets;
    this.cap = cap;
    this.clock = clock;
  }

  /** Writes a batch of exchanges in order. */
  public WriteOutcome write(List<SourcedExchange> batch) {
    Map<String, Long> highest = new HashMap<>();
    batch.forEach(
        s -> highest.merge(s.position().partitionKey(), s.position().offset(), Math::max));
    Map<String, Long> ingested = offsets.load(highest.keySet());

    List<WriteOutcome.Stored> stored = new ArrayList<>();
    int duplicates = 0;
    Set<String> sessions = new LinkedHashSet<>();
    for (SourcedExchange sourced : batch) {
      sessions.add(sourced.exchange().getSessionId());
      Long mark = ingested.get(sourced.position().partitionKey());
      WriteOutcome.Stored written =
          mark != null && sourced.position().offset() <= mark ? null : writeOne(sourced.exchange());
      if (written == null) {
        duplicates++;
      } else {
        stored.add(written);
      }
    }
    offsets.advance(highest);

    // Every session of the batch, not only those with new entries: a retried batch must finish
    // the eviction a failure interrupted.
    List<EntryRef> evicted = new ArrayList<>();
    for (String sessionId : sessions) {
      evicted.addAll(cap.enforce(sessionId));
    }
    return new WriteOutcome(stored, duplicates, evicted);
  }

  /**
   * Writes exchanges that did not come from the exchanges topic (an import), in order; duplicates
   * are found by entry id alone.
   */
  public WriteOutcome writeImported(List<CapturedExchange> batch) {
    List<WriteOutcome.Stored> stored = new ArrayList<>();
    int duplicates = 0;
    Set<String> sessions = new LinkedHashSet<>();
    for (CapturedExchange exchange : batch) {
      sessions.add(exchange.getSessionId());
      WriteOutcome.Stored written = writeOne(exchange);
      if (written == null) {
        duplicates++;
      } else {
        stored.add(written);
      }
    }
    List<EntryRef> evicted = new ArrayList<>();
    for (String sessionId : sessions) {
      evicted.addAll(cap.enforce(sessionId));
    }
    return new WriteOutcome(stored, duplicates, evicted);
  }

  private WriteOutcome.Stored writeOne(CapturedExchange exchange) {
    if (repository.exists(exchange.getEntryId())) {
      return null;
    }
    long seq = sequences.next(exchange.getSessionId());
    // Millisecond precision: what a BSON date keeps, so events and queries report the same time.
    Instant now = Instant.ofEpochMilli(clock.millis());
    // A concurrent writer may have inserted the same id since the check; its sequence number is
    // then left unused, which only leaves a gap.
    if (!repository.insert(repository.document(exchange, seq, now))) {
      return null;
    }
    return new WriteOutcome.Stored(exchange, seq, now.toEpochMilli() * 1000);
  }
}
