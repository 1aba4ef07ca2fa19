package dev.tapedeck.storage.entry;

import java.util.List;

/**
 * Keeps a session within its entry cap by deleting its oldest entries (lowest sequence).
 *
 * <p>It runs after every batch, for each session of the batch, and costs few round trips
 * whatever the number evicted:
 *
 * <ol>
 *   <li>A session cannot hold more entries than the sequence numbers it was handed, so at or below
 *       the cap nothing is read: the writer passes the counter it just raised, or the counter is
 *       read (one lookup).
 *   <li>Above it, the id and sequence of the entries beyond the newest {@code cap} (one find
 *       along the (sessionId, seq) index, newest first, skipping the kept ones): the cap counts
 *       entries, not sequence numbers, since deletions leave gaps. The EVICTED events name them.
 *   <li>One range delete by sequence, {@code {sessionId, seq <= N}}, instead of a delete per
 *       entry, then their bodies in GridFS.
 * </ol>
 */
public final class SessionCap {

  /** The counter is not known and must be read. */
  public static final long UNKNOWN = -1;

  private final EntryRepository repository;
  private final SessionSequences sequences;
  private final int maxEntriesPerSession;

  /** A cap of {@code maxEntriesPerSession} entries on the sessions in {@code repository}. */
  public SessionCap(EntryRepository repository, SessionSequences sequences, int maxEntriesPerSession) {
    if (maxEntriesPerSession < 1) {
      throw new IllegalArgumentException("max entries per session must be at least 1");
    }
    this.repository = repository;
    this.sequences = sequences;
    this.maxEntriesPerSession = maxEntriesPerSession;
  }

  /** How many entries a session keeps. */
  public int limit() {
    return maxEntriesPerSession;
  }

  /** Deletes the session's oldest entries beyond the cap; returns them, oldest first. */
  public List<EntryRef> enforce(String sessionId) {
    return enforce(sessionId, UNKNOWN);
  }

  /**
   * As {@link #enforce(String)}, with the session's sequence counter as the caller just raised it
   * ({@link #UNKNOWN} to read it).
   */
  public List<EntryRef> enforce(String sessionId, long counter) {
    long handedOut = counter == UNKNOWN ? sequences.current(sessionId) : counter;
    if (handedOut <= maxEntriesPerSession) {
      return List.of();
    }
    List<EntryRef> evicted = repository.beyondNewest(sessionId, maxEntriesPerSession);
    if (evicted.isEmpty()) {
      return List.of();
    }
    repository.deleteUpToSequence(sessionId, evicted.getLast().sequence(), evicted);
    return evicted;
  }
}
