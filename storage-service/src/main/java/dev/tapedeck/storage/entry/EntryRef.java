package dev.tapedeck.storage.entry;

/**
 * Where an entry sits: its session, id and sequence number.
 *
 * @param sessionId the session
 * @param entryId the entry id minted at the proxy
 * @param sequence the position in the session, from 1
 */
public record EntryRef(String sessionId, String entryId, long sequence) {}
