package dev.tapedeck.storage.ingest;

import dev.tapedeck.storage.config.StorageConfig;
import dev.tapedeck.storage.kafka.KafkaClients;
import dev.tapedeck.storage.kafka.RecordHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;

/**
 * Moves records that cannot be decoded to the dead-letter topic, with the same key and value and
 * headers saying why and where they came from.
 */
@ApplicationScoped
public class DeadLetterPublisher {

  private final KafkaClients clients;
  private final String topic;

  @Inject
  DeadLetterPublisher(KafkaClients clients, StorageConfig config) {
    this.clients = clients;
    this.topic = config.kafka().deadLetterTopic();
  }

  /**
   * Publishes the rejected records and waits until the broker has them all, so their offsets may be
   * committed.
   *
   * @throws KafkaException when a record could not be published
   */
  public void publish(List<DecodedBatch.Rejected> rejected) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(rejected.size());
    for (DecodedBatch.Rejected r : rejected) {
      sends.add(clients.producer().send(deadLetter(r)));
    }
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new KafkaException("could not dead-letter a record to " + topic, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while dead-lettering to " + topic, e);
      }
    }
  }

  /** A record value's bytes (null stays null), leaving the buffer as it was. */
  private static byte[] bytesOf(ByteBuffer value) {
    if (value == null) {
      return null;
    }
    byte[] bytes = new byte[value.remaining()];
    value.duplicate().get(bytes);
    return bytes;
  }

  private ProducerRecord<String, byte[]> deadLetter(DecodedBatch.Rejected rejected) {
    ConsumerRecord<String, ByteBuffer> source = rejected.record();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, source.key(), bytesOf(source.value()));
    for (Header header : source.headers()) {
      record.headers().add(header);
    }
    RecordHeaders.add(record.headers(), RecordHeaders.DLQ_REASON, rejected.reason());
    RecordHeaders.add(
        record.headers(),
        RecordHeaders.DLQ_SOURCE,
        source.topic() + "-" + source.partition() + "@" + source.offset());
    return record;
  }
}
