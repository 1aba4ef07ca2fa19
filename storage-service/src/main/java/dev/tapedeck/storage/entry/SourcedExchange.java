package dev.tapedeck.storage.entry;

import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * A decoded exchange and the record it came from.
 *
 * @param exchange the exchange
 * @param position the record's topic, partition and offset
 */
public record SourcedExchange(CapturedExchange exchange, RecordPosition position) {}
