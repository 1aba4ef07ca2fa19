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
 *   <li>Inserts the entry documents, except those the batch itself pushes out of the cap.
 *   <li>Raises the partitions' ingested offsets.
 *   <li>Evicts the oldest entries of each session of the batch beyond the cap.
 * </ol>
 *
 * <p>Steps 2 to 4 take one round trip each (plus one per session), whatever the batch size.
 *
 * <p>When a batch brings a session more new entries than the cap, its oldest new ones would be
 * evicted as soon as they were written: they are <em>evicted at once</em> instead. Each takes its
 * sequence number and is reported both stored and evicted, as if written and evicted, but neither
 * its document nor its offloaded bodies are written. Under a backlog a session's batches are
 * thousands of records against a cap of 1,000; not writing them halved the store's CPU per entry
 * at 1 KiB (docs/development.md, ninth pass).
 *
 * <p>Eviction comes after step 4, so no record whose entry was evicted can be stored again. A
 * failure part way leaves the entries written so far; writing the batch again completes it, which
 * is how the ingestion loop retries. A retry numbers the entries it writes after those written
 * before it, so an entry the failed attempt evicted at once may then be written as the session's
 * newest.
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
    Written written = writeNew(unseen, counters);
    int duplicates = batch.size() - written.stored().size();
    offsets.advance(highest);

    // Every session of the batch, not only those with new entries: a retried batch must finish
    // the eviction a failure interrupted.
    return new WriteOutcome(
        written.stored(), duplicates, evict(sessions, counters, written), written.evictedAtOnceCount());
  }

  /**
   * Keeps each session within the cap, passing the counters this batch raised so the cap need not
   * read them again; a session's entries evicted at once follow those the cap deletes, being newer.
   */
  private List<EntryRef> evict(Set<String> sessions, Map<String, Long> counters, Written written) {
    List<EntryRef> evicted = new ArrayList<>();
    for (String sessionId : sessions) {
      evicted.addAll(cap.enforce(sessionId, counters.getOrDefault(sessionId, SessionCap.UNKNOWN)));
      evicted.addAll(written.evictedAtOnce().getOrDefault(sessionId, List.of()));
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
    Written written = writeNew(incoming, counters);
    int duplicates = batch.size() - written.stored().size();
    return new WriteOutcome(
        written.stored(), duplicates, evict(sessions, counters, written), written.evictedAtOnceCount());
  }

  /** An exchange to store and its protobuf bytes as received (null when it came without). */
  private record Incoming(CapturedExchange exchange, ByteString bytes) {}

  /**
   * The new entries, in batch order with their sequence numbers, and those of them evicted at once
   * (not written), per session, oldest first.
   */
  private record Written(List<WriteOutcome.Stored> stored, Map<String, List<EntryRef>> evictedAtOnce) {
    int evictedAtOnceCount() {
      return evictedAtOnce.values().stream().mapToInt(List::size).sum();
    }
  }

  /**
   * Stores the exchanges not stored yet, in order, except those evicted at once; returns them with
   * their sequence numbers and puts each session's counter, as raised here, into {@code counters}.
   */
  private Written writeNew(List<Incoming> incoming, Map<String, Long> counters) {
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
      return new Written(List.of(), Map.of());
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
    Map<String, List<EntryRef>> evictedAtOnce = new LinkedHashMap<>();
    long[] seqs = new long[fresh.size()];
    int[] kept = new int[fresh.size()];
    int keptCount = 0;
    for (int i = 0; i < seqs.length; i++) {
      CapturedExchange exchange = fresh.get(i);
      String session = exchange.getSessionId();
      seqs[i] = nextSeq.merge(session, 1L, Long::sum) - 1;
      written.add(new WriteOutcome.Stored(exchange, seqs[i], now.toEpochMilli() * 1000));
      // The session's new entries are numbered one after another up to its counter: those below
      // the newest cap of them fall outside it.
      if (seqs[i] <= counters.get(session) - cap.limit()) {
        evictedAtOnce
            .computeIfAbsent(session, s -> new ArrayList<>())
            .add(new EntryRef(session, exchange.getEntryId(), seqs[i]));
      } else {
        kept[keptCount++] = i;
      }
    }
    // The per-entry work (search text, document, BSON encoding) is most of the service's own
    // cost; a large batch spreads it over the cores.
    RawBsonDocument[] documents = new RawBsonDocument[keptCount];
    IntStream range = IntStream.range(0, keptCount);
    (keptCount >= PARALLEL_FROM ? range.parallel() : range)
        .forEach(
            k -> {
              int i = kept[k];
              documents[k] = repository.encoded(fresh.get(i), freshBytes.get(i), seqs[i], now);
            });
    // A concurrent writer may have inserted some of these ids since the check; their sequence
    // numbers are then left unused, which only leaves gaps.
    Set<String> raced = repository.insertNew(Arrays.asList(documents));
    if (!raced.isEmpty()) {
      written.removeIf(s -> raced.contains(s.exchange().getEntryId()));
    }
    return new Written(written, evictedAtOnce);
  }
}
