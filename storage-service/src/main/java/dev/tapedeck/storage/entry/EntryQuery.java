package dev.tapedeck.storage.entry;

import java.util.List;

/**
 * Which entries of a session to list.
 *
 * @param sessionId the session
 * @param offset entries to skip, from the start of the chosen order
 * @param limit at most this many; 0 means all
 * @param newestFirst highest sequence first instead of lowest
 * @param entryIds when not empty, only these entries
 * @param afterSequence when above 0, only entries after this sequence in the chosen order (a
 *     cursor)
 */
public record EntryQuery(
    String sessionId,
    int offset,
    int limit,
    boolean newestFirst,
    List<String> entryIds,
    long afterSequence) {

  /** Without a cursor. */
  public EntryQuery(
      String sessionId, int offset, int limit, boolean newestFirst, List<String> entryIds) {
    this(sessionId, offset, limit, newestFirst, entryIds, 0);
  }

  public EntryQuery {
    if (offset < 0 || limit < 0 || afterSequence < 0) {
      throw new IllegalArgumentException("offset, limit and afterSequence must not be negative");
    }
    entryIds = List.copyOf(entryIds);
  }

  /** All entries of a session in sequence order. */
  public static EntryQuery all(String sessionId) {
    return new EntryQuery(sessionId, 0, 0, false, List.of(), 0);
  }
}
