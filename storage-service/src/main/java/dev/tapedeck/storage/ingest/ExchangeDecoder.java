package dev.tapedeck.storage.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.entry.RecordPosition;
import dev.tapedeck.storage.entry.SourcedExchange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes polled records into exchanges, setting aside those that cannot be stored: not a {@code
 * CapturedExchange}, without entry or session id, or too large for a MongoDB document.
 */
public final class ExchangeDecoder {

  /**
   * The largest exchange stored: a MongoDB document holds at most 16 MiB, and the entry document
   * adds the query fields to the exchange's bytes. A larger record would fail every retry and
   * block its partition, so it is dead-lettered instead.
   */
  static final int MAX_EXCHANGE_BYTES = 16 * 1024 * 1024 - 256 * 1024;

  private ExchangeDecoder() {}

  /** The decodable exchanges of a batch, in order, and the rejected records with the reason. */
  public static DecodedBatch decode(Iterable<ConsumerRecord<String, ByteBuffer>> records) {
    List<SourcedExchange> exchanges = new ArrayList<>();
    List<DecodedBatch.Rejected> rejected = new ArrayList<>();
    for (ConsumerRecord<String, ByteBuffer> record : records) {
      ByteBuffer value = record.value();
      String reason;
      if (value == null) {
        reason = "record has no value";
      } else if (value.remaining() > MAX_EXCHANGE_BYTES) {
        reason =
            "exchange of "
                + value.remaining()
                + " bytes is larger than the "
                + MAX_EXCHANGE_BYTES
                + " bytes an entry can hold";
      } else {
        try {
          // The record's value is read in place, in the buffer Kafka fetched it into (no copy),
          // and so are the bodies (aliasing): those bytes are kept, as the stored exchange, and
          // never changed, so a copy would only add work. (Only an input over bytes marked
          // immutable aliases: hence the wrap.)
          ByteString bytes = UnsafeByteOperations.unsafeWrap(value.slice());
          CodedInputStream input = bytes.newCodedInput();
          input.enableAliasing(true);
          CapturedExchange exchange = CapturedExchange.parser().parseFrom(input);
          reason = missingIds(exchange);
          if (reason == null) {
            exchanges.add(
                new SourcedExchange(
                    exchange,
                    bytes,
                    new RecordPosition(record.topic(), record.partition(), record.offset())));
            continue;
          }
        } catch (InvalidProtocolBufferException e) {
          reason = "not a tapedeck.capture.v1.CapturedExchange: " + e.getMessage();
        }
      }
      rejected.add(new DecodedBatch.Rejected(record, reason));
    }
    return new DecodedBatch(exchanges, rejected);
  }

  private static String missingIds(CapturedExchange exchange) {
    if (exchange.getEntryId().isEmpty()) {
      return "exchange has no entry_id";
    }
    if (exchange.getSessionId().isEmpty()) {
      return "exchange has no session_id";
    }
    return null;
  }
}
