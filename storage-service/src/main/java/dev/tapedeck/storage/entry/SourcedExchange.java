package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * A decoded exchange and the record it came from.
 *
 * @param exchange the exchange
 * @param bytes the record's value: the protobuf bytes {@code exchange} was parsed from, stored as
 *     they are (not encoded again); read in place from the record, never changed
 * @param position the record's topic, partition and offset
 */
public record SourcedExchange(CapturedExchange exchange, ByteString bytes, RecordPosition position) {

  /** An exchange parsed from {@code bytes}, which are not changed afterwards. */
  public SourcedExchange(CapturedExchange exchange, byte[] bytes, RecordPosition position) {
    this(exchange, UnsafeByteOperations.unsafeWrap(bytes), position);
  }

  /** An exchange with its own encoding as the record's bytes. */
  public SourcedExchange(CapturedExchange exchange, RecordPosition position) {
    this(exchange, exchange.toByteString(), position);
  }
}
