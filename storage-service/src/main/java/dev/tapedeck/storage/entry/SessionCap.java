package dev.tapedeck.storage.entry;

import java.util.List;

/**
 * Keeps a session within its entry cap by deleting its oldest entries (lowest sequence).
 *
 * <p>It runs after every batch, so it never counts a session's entries: a session cannot hold
 * more entries than the sequence numbers it was handed, so below the cap it reads one counter;
 * above it, the sequence of the newest entry beyond the cap (one lookup along the (sessionId, seq)
 * index), then the entries up to it.
 */
public final class SessionCap {

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

  /** Deletes the session's oldest entries beyond the cap; returns them, oldest first. */
  public List<EntryRef> enforce(String sessionId) {
    if (sequences.current(sessionId) <= maxEntriesPerSession) {
      return List.of();
    }
    long newestBeyond = repository.sequenceBeyond(sessionId, maxEntriesPerSession);
    if (newestBeyond == 0) {
      return List.of();
    }
    List<EntryRef> evicted = repository.upToSequence(sessionId, newestBeyond);
    repository.delete(evicted.stream().map(EntryRef::entryId).toList());
    return evicted;
  }
}
