package dev.tapedeck.storage.events;

import com.google.protobuf.CodedOutputStream;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.proto.capture.v1.EntrySummary;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * The protobuf encoding of {@link #stored}, written field by field without building the event
   * and its summary: the same bytes as {@code stored(s).toByteArray()} (fields in number order,
   * proto3 defaults left out, the summary always present), which {@code EntryEventsTest} checks.
   */
  public static byte[] storedBytes(WriteOutcome.Stored stored) {
    CapturedExchange exchange = stored.exchange();
    String method = exchange.getRequest().getMethod();
    String url = exchange.getRequest().getUrl();
    int status = exchange.getResponse().getStatusCode();
    double duration = exchange.getTimings().getTotalMs();
    int entryType = exchange.getEntryTypeValue();
    long startedAt = exchange.getStartedAtUnixMicros();
    int summarySize = 0;
    if (entryType != 0) {
      summarySize += CodedOutputStream.computeEnumSize(EntrySummary.ENTRY_TYPE_FIELD_NUMBER, entryType);
    }
    if (!method.isEmpty()) {
      summarySize += CodedOutputStream.computeStringSize(EntrySummary.METHOD_FIELD_NUMBER, method);
    }
    if (!url.isEmpty()) {
      summarySize += CodedOutputStream.computeStringSize(EntrySummary.URL_FIELD_NUMBER, url);
    }
    if (status != 0) {
      summarySize += CodedOutputStream.computeInt32Size(EntrySummary.STATUS_CODE_FIELD_NUMBER, status);
    }
    if (Double.doubleToRawLongBits(duration) != 0) {
      summarySize += CodedOutputStream.computeDoubleSize(EntrySummary.DURATION_MS_FIELD_NUMBER, duration);
    }
    if (startedAt != 0) {
      summarySize +=
          CodedOutputStream.computeInt64Size(EntrySummary.STARTED_AT_UNIX_MICROS_FIELD_NUMBER, startedAt);
    }
    String sessionId = exchange.getSessionId();
    String entryId = exchange.getEntryId();
    long sequence = stored.sequence();
    long at = stored.storedAtUnixMicros();
    int size =
        CodedOutputStream.computeEnumSize(EntryEvent.KIND_FIELD_NUMBER, EntryEvent.Kind.STORED_VALUE)
            + CodedOutputStream.computeTagSize(EntryEvent.SUMMARY_FIELD_NUMBER)
            + CodedOutputStream.computeUInt32SizeNoTag(summarySize)
            + summarySize;
    if (!sessionId.isEmpty()) {
      size += CodedOutputStream.computeStringSize(EntryEvent.SESSION_ID_FIELD_NUMBER, sessionId);
    }
    if (!entryId.isEmpty()) {
      size += CodedOutputStream.computeStringSize(EntryEvent.ENTRY_ID_FIELD_NUMBER, entryId);
    }
    if (sequence != 0) {
      size += CodedOutputStream.computeInt64Size(EntryEvent.SEQUENCE_FIELD_NUMBER, sequence);
    }
    if (at != 0) {
      size += CodedOutputStream.computeInt64Size(EntryEvent.AT_UNIX_MICROS_FIELD_NUMBER, at);
    }
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeEnum(EntryEvent.KIND_FIELD_NUMBER, EntryEvent.Kind.STORED_VALUE);
      if (!sessionId.isEmpty()) {
        out.writeString(EntryEvent.SESSION_ID_FIELD_NUMBER, sessionId);
      }
      if (!entryId.isEmpty()) {
        out.writeString(EntryEvent.ENTRY_ID_FIELD_NUMBER, entryId);
      }
      if (sequence != 0) {
        out.writeInt64(EntryEvent.SEQUENCE_FIELD_NUMBER, sequence);
      }
      if (at != 0) {
        out.writeInt64(EntryEvent.AT_UNIX_MICROS_FIELD_NUMBER, at);
      }
      out.writeTag(EntryEvent.SUMMARY_FIELD_NUMBER, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(summarySize);
      if (entryType != 0) {
        out.writeEnum(EntrySummary.ENTRY_TYPE_FIELD_NUMBER, entryType);
      }
      if (!method.isEmpty()) {
        out.writeString(EntrySummary.METHOD_FIELD_NUMBER, method);
      }
      if (!url.isEmpty()) {
        out.writeString(EntrySummary.URL_FIELD_NUMBER, url);
      }
      if (status != 0) {
        out.writeInt32(EntrySummary.STATUS_CODE_FIELD_NUMBER, status);
      }
      if (Double.doubleToRawLongBits(duration) != 0) {
        out.writeDouble(EntrySummary.DURATION_MS_FIELD_NUMBER, duration);
      }
      if (startedAt != 0) {
        out.writeInt64(EntrySummary.STARTED_AT_UNIX_MICROS_FIELD_NUMBER, startedAt);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      // Sized exactly above: an array that is too small or too large is a bug here.
      throw new UncheckedIOException(e);
    }
    return bytes;
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
