package dev.tapedeck.storage.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Names of the headers this service puts on the records it publishes. */
public final class RecordHeaders {

  /** The protobuf message a record's value holds, e.g. {@code tapedeck.capture.v1.EntryEvent}. */
  public static final String TYPE = "tapedeck.type";

  /** Why a record was dead-lettered. */
  public static final String DLQ_REASON = "tapedeck.dlq.reason";

  /** Where a dead-lettered record came from: {@code topic-partition@offset}. */
  public static final String DLQ_SOURCE = "tapedeck.dlq.source";

  private RecordHeaders() {}

  /** Adds a UTF-8 string header. */
  public static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
