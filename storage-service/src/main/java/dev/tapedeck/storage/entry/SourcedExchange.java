package dev.tapedeck.storage.entry;

import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * A decoded exchange and the record it came from.
 *
 * @param exchange the exchange
 * @param bytes the record's value: the protobuf bytes {@code exchange} was parsed from, stored as
 *     they are (not encoded again)
 * @param position the record's topic, partition and offset
 */
public record SourcedExchange(CapturedExchange exchange, byte[] bytes, RecordPosition position) {

  /** An exchange with its own encoding as the record's bytes. */
  public SourcedExchange(CapturedExchange exchange, RecordPosition position) {
    this(exchange, exchange.toByteArray(), position);
  }
}
