package dev.tapedeck.storage.ingest;

import dev.tapedeck.storage.entry.SourcedExchange;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A polled batch after decoding.
 *
 * @param exchanges the exchanges to store, in record order
 * @param rejected the records that go to the dead-letter topic
 */
public record DecodedBatch(List<SourcedExchange> exchanges, List<Rejected> rejected) {

  public DecodedBatch {
    exchanges = List.copyOf(exchanges);
    rejected = List.copyOf(rejected);
  }

  /**
   * A record that cannot be stored.
   *
   * @param record the record as polled
   * @param reason why it was rejected
   */
  public record Rejected(ConsumerRecord<String, ByteBuffer> record, String reason) {}
}
