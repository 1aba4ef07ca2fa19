package dev.tapedeck.storage.events;

import dev.tapedeck.proto.storage.v1.StoredEntry;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.storage.entry.EntryDocuments;
import dev.tapedeck.storage.entry.EntryRef;
import dev.tapedeck.storage.entry.WriteOutcome;

/** Builds the {@link EntryEvent}s that announce what storage did. */
public final class EntryEvents {

  private EntryEvents() {}

  /** A STORED event, with the entry's summary. */
  public static EntryEvent stored(WriteOutcome.Stored stored) {
    return EntryEvent.newBuilder()
        .setKind(EntryEvent.Kind.STORED)
        .setSessionId(stored.exchange().getSessionId())
        .setEntryId(stored.exchange().getEntryId())
        .setSequence(stored.sequence())
        .setAtUnixMicros(stored.storedAtUnixMicros())
        .setSummary(EntryDocuments.summary(stored.exchange()))
        .build();
  }

  /** An EVICTED event. */
  public static EntryEvent evicted(EntryRef evicted, long atUnixMicros) {
    return EntryEvent.newBuilder()
        .setKind(EntryEvent.Kind.EVICTED)
        .setSessionId(evicted.sessionId())
        .setEntryId(evicted.entryId())
        .setSequence(evicted.sequence())
        .setAtUnixMicros(atUnixMicros)
        .build();
  }

  /** An ANNOTATED event, with the entry's summary. */
  public static EntryEvent annotated(StoredEntry entry, long atUnixMicros) {
    return EntryEvent.newBuilder()
        .setKind(EntryEvent.Kind.ANNOTATED)
        .setSessionId(entry.getExchange().getSessionId())
        .setEntryId(entry.getExchange().getEntryId())
        .setSequence(entry.getSequence())
        .setAtUnixMicros(atUnixMicros)
        .setSummary(EntryDocuments.summary(entry.getExchange()))
        .build();
  }

  /** A DELETED event. */
  public static EntryEvent deleted(String sessionId, String entryId, long atUnixMicros) {
    return EntryEvent.newBuilder()
        .setKind(EntryEvent.Kind.DELETED)
        .setSessionId(sessionId)
        .setEntryId(entryId)
        .setAtUnixMicros(atUnixMicros)
        .build();
  }
}
