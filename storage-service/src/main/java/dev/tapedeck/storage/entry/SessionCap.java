package dev.tapedeck.storage.entry;

import java.util.List;

/** Keeps a session within its entry cap by deleting its oldest entries (lowest sequence). */
public final class SessionCap {

  private final EntryRepository repository;
  private final int maxEntriesPerSession;

  /** A cap of {@code maxEntriesPerSession} entries on the sessions in {@code repository}. */
  public SessionCap(EntryRepository repository, int maxEntriesPerSession) {
    if (maxEntriesPerSession < 1) {
      throw new IllegalArgumentException("max entries per session must be at least 1");
    }
    this.repository = repository;
    this.maxEntriesPerSession = maxEntriesPerSession;
  }

  /** Deletes the session's oldest entries beyond the cap; returns them, oldest first. */
  public List<EntryRef> enforce(String sessionId) {
    long excess = repository.count(sessionId) - maxEntriesPerSession;
    if (excess <= 0) {
      return List.of();
    }
    List<EntryRef> oldest = repository.oldest(sessionId, (int) Math.min(excess, Integer.MAX_VALUE));
    repository.delete(oldest.stream().map(EntryRef::entryId).toList());
    return oldest;
  }
}
