package dev.tapedeck.storage.events;

import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.storage.config.StorageConfig;
import dev.tapedeck.storage.kafka.KafkaClients;
import dev.tapedeck.storage.kafka.RecordHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Publishes {@link EntryEvent}s to the entry-events topic, keyed by session id.
 *
 * <p>Events are notifications for live views: a failed send is logged, not retried, and never holds
 * back the ingestion of exchanges.
 */
@ApplicationScoped
public class EntryEventPublisher {

  private static final Logger LOG = Logger.getLogger(EntryEventPublisher.class);
  private static final String TYPE = EntryEvent.getDescriptor().getFullName();

  private final KafkaClients clients;
  private final String topic;

  @Inject
  EntryEventPublisher(KafkaClients clients, StorageConfig config) {
    this.clients = clients;
    this.topic = config.kafka().entryEventsTopic();
  }

  /**
   * An event and its bytes, encoded ahead of sending (on any thread).
   *
   * @param event the event
   * @param bytes its protobuf encoding
   */
  public record Encoded(EntryEvent event, byte[] bytes) {
    /** {@code event} with its bytes. */
    public static Encoded of(EntryEvent event) {
      return new Encoded(event, event.toByteArray());
    }
  }

  /** Sends an event without waiting for the broker's answer. */
  public void publish(EntryEvent event) {
    publish(Encoded.of(event));
  }

  /** Sends an encoded event without waiting for the broker's answer. */
  public void publish(Encoded encoded) {
    EntryEvent event = encoded.event();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, event.getSessionId(), encoded.bytes());
    RecordHeaders.add(record.headers(), RecordHeaders.TYPE, TYPE);
    try {
      clients.producer().send(record, (metadata, error) -> logFailure(event, error));
    } catch (KafkaException e) {
      // send() itself throws when it cannot get the topic's metadata in time.
      logFailure(event, e);
    }
  }

  private static void logFailure(EntryEvent event, Exception error) {
    if (error != null) {
      LOG.warnf(
          error,
          "could not publish %s event of entry %s (session %s)",
          event.getKind(),
          event.getEntryId(),
          event.getSessionId());
    }
  }
}
