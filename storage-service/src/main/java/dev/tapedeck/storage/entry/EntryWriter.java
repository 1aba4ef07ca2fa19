package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.bson.RawBsonDocument;

/**
 * Writes captured exchanges as entries, idempotently.
 *
 * <ol>
 *   <li>Skips records at or below their partition's ingested offset: they were stored before and
 *       are being redelivered (their entries may have been evicted since).
 *   <li>Skips an exchange whose entry id is already stored, or earlier in the batch (the proxy
 *       published it twice): it neither duplicates the entry nor takes a new sequence number.
 *   <li>Takes a block of sequence numbers per session and numbers the new entries in batch order.
 *   <li>Inserts the entry documents.
 *   <li>Raises the partitions' ingested offsets.
 *   <li>Evicts the oldest entries of each session of the batch beyond the cap.
 * </ol>
 *
 * <p>Steps 2 to 4 take one round trip each (plus one per session), whatever the batch size.
 *
 * <p>Eviction comes after step 4, so no record whose entry was evicted can be stored again. A
 * failure part way leaves the entries written so far; writing the batch again completes it, which
 * is how the ingestion loop retries.
 */
public final class EntryWriter {

  /** Batches of at least this many new entries build their documents on several cores. */
  private static final int PARALLEL_FROM = 64;

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
    // A partition's records come one after another: its key is made once per run of them.
    String[] keys = new String[batch.size()];
    Map<String, Long> highest = new HashMap<>();
    RecordPosition previous = null;
    for (int i = 0; i < keys.length; i++) {
      RecordPosition position = batch.get(i).position();
      keys[i] =
          previous != null
                  && previous.partition() == position.partition()
                  && previous.topic().equals(position.topic())
              ? keys[i - 1]
              : position.partitionKey();
      previous = position;
      highest.merge(keys[i], position.offset(), Math::max);
    }
    Map<String, Long> ingested = offsets.load(highest.keySet());

    List<Incoming> unseen = new ArrayList<>(batch.size());
    Set<String> sessions = new LinkedHashSet<>();
    for (int i = 0; i < keys.length; i++) {
      SourcedExchange sourced = batch.get(i);
      sessions.add(sourced.exchange().getSessionId());
      Long mark = ingested.get(keys[i]);
      if (mark == null || sourced.position().offset() > mark) {
        unseen.add(new Incoming(sourced.exchange(), sourced.bytes()));
      }
    }
    Map<String, Long> counters = new HashMap<>();
    List<WriteOutcome.Stored> stored = writeNew(unseen, counters);
    int duplicates = batch.size() - stored.size();
    offsets.advance(highest);

    // Every session of the batch, not only those with new entries: a retried batch must finish
    // the eviction a failure interrupted.
    return new WriteOutcome(stored, duplicates, evict(sessions, counters));
  }

  /**
   * Keeps each session within the cap, passing the counters this batch raised so the cap need not
   * read them again.
   */
  private List<EntryRef> evict(Set<String> sessions, Map<String, Long> counters) {
    List<EntryRef> evicted = new ArrayList<>();
    for (String sessionId : sessions) {
      evicted.addAll(cap.enforce(sessionId, counters.getOrDefault(sessionId, SessionCap.UNKNOWN)));
    }
    return evicted;
  }

  /**
   * Writes exchanges that did not come from the exchanges topic (an import), in order; duplicates
   * are found by entry id alone.
   */
  public WriteOutcome writeImported(List<CapturedExchange> batch) {
    Set<String> sessions = new LinkedHashSet<>();
    batch.forEach(exchange -> sessions.add(exchange.getSessionId()));
    Map<String, Long> counters = new HashMap<>();
    List<Incoming> incoming = new ArrayList<>(batch.size());
    batch.forEach(exchange -> incoming.add(new Incoming(exchange, null)));
    List<WriteOutcome.Stored> stored = writeNew(incoming, counters);
    int duplicates = batch.size() - stored.size();
    return new WriteOutcome(stored, duplicates, evict(sessions, counters));
  }

  /** An exchange to store and its protobuf bytes as received (null when it came without). */
  private record Incoming(CapturedExchange exchange, ByteString bytes) {}

  /**
   * Stores the exchanges not stored yet, in order; returns them with their sequence numbers and
   * puts each session's counter, as raised here, into {@code counters}.
   */
  private List<WriteOutcome.Stored> writeNew(List<Incoming> incoming, Map<String, Long> counters) {
    Set<String> known =
        new HashSet<>(repository.existing(incoming.stream().map(i -> i.exchange().getEntryId()).toList()));
    List<CapturedExchange> fresh = new ArrayList<>(incoming.size());
    List<ByteString> freshBytes = new ArrayList<>(incoming.size());
    for (Incoming in : incoming) {
      if (known.add(in.exchange().getEntryId())) {
        fresh.add(in.exchange());
        freshBytes.add(in.bytes());
      }
    }
    if (fresh.isEmpty()) {
      return List.of();
    }

    Map<String, Integer> perSession = new LinkedHashMap<>();
    fresh.forEach(e -> perSession.merge(e.getSessionId(), 1, Integer::sum));
    Map<String, Long> nextSeq = new HashMap<>();
    perSession.forEach(
        (session, n) -> {
          long first = sequences.reserve(session, n);
          nextSeq.put(session, first);
          counters.put(session, first + n - 1);
        });

    // Millisecond precision: what a BSON date keeps, so events and queries report the same time.
    Instant now = Instant.ofEpochMilli(clock.millis());
    List<WriteOutcome.Stored> written = new ArrayList<>(fresh.size());
    long[] seqs = new long[fresh.size()];
    for (int i = 0; i < seqs.length; i++) {
      CapturedExchange exchange = fresh.get(i);
      seqs[i] = nextSeq.merge(exchange.getSessionId(), 1L, Long::sum) - 1;
      written.add(new WriteOutcome.Stored(exchange, seqs[i], now.toEpochMilli() * 1000));
    }
    // The per-entry work (search text, document, BSON encoding) is most of the service's own
    // cost; a large batch spreads it over the cores.
    RawBsonDocument[] documents = new RawBsonDocument[seqs.length];
    IntStream range = IntStream.range(0, seqs.length);
    (seqs.length >= PARALLEL_FROM ? range.parallel() : range)
        .forEach(i -> documents[i] = repository.encoded(fresh.get(i), freshBytes.get(i), seqs[i], now));
    // A concurrent writer may have inserted some of these ids since the check; their sequence
    // numbers are then left unused, which only leaves gaps.
    Set<String> raced = repository.insertNew(Arrays.asList(documents));
    if (!raced.isEmpty()) {
      written.removeIf(s -> raced.contains(s.exchange().getEntryId()));
    }
    return written;
  }
}
