package dev.tapedeck.storage.events;

import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.storage.config.StorageConfig;
import dev.tapedeck.storage.entry.WriteOutcome;
import dev.tapedeck.storage.kafka.KafkaClients;
import dev.tapedeck.storage.kafka.RecordHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
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

  /** The type header's value, shared by every event (the producer only reads it). */
  private static final byte[] TYPE_BYTES = TYPE.getBytes(StandardCharsets.UTF_8);

  private final KafkaClients clients;
  private final String topic;

  @Inject
  EntryEventPublisher(KafkaClients clients, StorageConfig config) {
    this.clients = clients;
    this.topic = config.kafka().entryEventsTopic();
  }

  /**
   * An event's bytes, encoded ahead of sending (on any thread), and what names it in the log.
   *
   * @param kind the event's kind
   * @param sessionId its session (the record's key)
   * @param entryId its entry
   * @param bytes its protobuf encoding
   */
  public record Encoded(EntryEvent.Kind kind, String sessionId, String entryId, byte[] bytes) {
    /** {@code event} with its bytes. */
    public static Encoded of(EntryEvent event) {
      return new Encoded(event.getKind(), event.getSessionId(), event.getEntryId(), event.toByteArray());
    }

    /** The STORED event of {@code stored}, encoded directly ({@link EntryEvents#storedBytes}). */
    public static Encoded stored(WriteOutcome.Stored stored) {
      return new Encoded(
          EntryEvent.Kind.STORED,
          stored.exchange().getSessionId(),
          stored.exchange().getEntryId(),
          EntryEvents.storedBytes(stored));
    }
  }

  /** Sends an event without waiting for the broker's answer. */
  public void publish(EntryEvent event) {
    publish(Encoded.of(event));
  }

  /** Sends an encoded event without waiting for the broker's answer. */
  public void publish(Encoded encoded) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, encoded.sessionId(), encoded.bytes());
    record.headers().add(RecordHeaders.TYPE, TYPE_BYTES);
    try {
      clients.producer().send(record, (metadata, error) -> logFailure(encoded, error));
    } catch (KafkaException e) {
      // send() itself throws when it cannot get the topic's metadata in time.
      logFailure(encoded, e);
    }
  }

  private static void logFailure(Encoded event, Exception error) {
    if (error != null) {
      LOG.warnf(
          error,
          "could not publish %s event of entry %s (session %s)",
          event.kind(),
          event.entryId(),
          event.sessionId());
    }
  }
}
