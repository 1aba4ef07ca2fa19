package dev.tapedeck.storage.kafka;

import dev.tapedeck.storage.config.StorageConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Creates the service's Kafka clients from the {@code kafka.*} configuration (bootstrap servers,
 * and any security settings a real cluster needs), and closes the shared producer on shutdown.
 *
 * <p>Consumers are not thread-safe, so the thread that polls one closes it; this factory only
 * creates them.
 */
@ApplicationScoped
public class KafkaClients {

  private static final Logger LOG = Logger.getLogger(KafkaClients.class);

  /** Records one poll returns at most: one batch the writer stores in a few round trips. */
  public static final int MAX_POLL_RECORDS = 2000;

  /**
   * Bytes fetched per partition per request (Kafka's default is 1 MiB): more than a poll's 2,000
   * snappy-compressed 1 KiB captures, about 75 at 64 KiB. Proxies compress their captures (snappy by
   * default), and these limits count compressed bytes.
   */
  public static final int MAX_PARTITION_FETCH_BYTES = 2 * 1024 * 1024;

  /**
   * Bytes one fetch returns at most, across partitions (a first record batch larger than this still
   * comes whole). It bounds a poll's memory: decoded, a fetch of snappy-compressed captures holds at
   * most about 21 times this (all-zero bodies; JSON about 2.5 times), and a poll may drain two
   * fetches; the writer stores them in parts ({@code BatchIngestor#CHUNK_BYTES}). Half of it
   * (1 MiB per partition, 2 MiB in all) made 64 KiB batches so small that storage and the store
   * spent twice the CPU per entry.
   */
  public static final int FETCH_MAX_BYTES = 4 * 1024 * 1024;

  /**
   * Compressed bytes a fetch waits for, up to {@link #FETCH_MAX_WAIT_MS} (Kafka's default is one
   * byte): below full speed a fetch would otherwise return each produce request's few captures, and
   * every batch costs the same round trips to the store and Kafka (about seven and two) whatever its
   * size. Under a backlog a fetch fills at once, so this changes nothing there.
   */
  public static final int FETCH_MIN_BYTES = 1024 * 1024;

  /**
   * How long a fetch waits for {@link #FETCH_MIN_BYTES} (Kafka's default is 500 ms): the most a
   * capture's storing is delayed by it when traffic is light.
   */
  public static final int FETCH_MAX_WAIT_MS = 50;

  /**
   * The consumer's socket receive buffer (Kafka's default is 64 KiB): a fetch response of up to
   * {@link #FETCH_MAX_BYTES} arrives in a few reads rather than dozens, each waiting for the broker
   * to write the next part.
   */
  public static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

  private final Map<String, Object> common;
  private final StorageConfig config;
  private final MeterRegistry registry;
  private KafkaProducer<String, byte[]> producer;
  private KafkaClientMetrics producerMetrics;
  private Admin admin;

  @Inject
  KafkaClients(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      StorageConfig config,
      MeterRegistry registry) {
    this.registry = registry;
    this.common = new HashMap<>(kafkaConfig);
    // Quarkus adds these for its own Kafka integrations; they mean nothing to the plain clients.
    this.common.keySet().removeIf(key -> key.startsWith("health") || key.startsWith("devservices"));
    this.config = config;
  }

  /**
   * A new consumer of the exchanges topic's group: String keys (session id), values as buffers over
   * the fetched bytes (read in place, not copied out), offsets committed by hand, reading from the
   * earliest offset when the group has none.
   */
  public KafkaConsumer<String, ByteBuffer> newExchangeConsumer() {
    return new KafkaConsumer<>(
        exchangeConsumerProperties(), new StringDeserializer(), new ByteBufferDeserializer());
  }

  /** The exchange consumer's settings: {@code kafka.*} first, then the defaults set here. */
  Map<String, Object> exchangeConsumerProperties() {
    Map<String, Object> props = new HashMap<>(common);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().consumerGroup());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
    // Few, large batches: every batch costs the same handful of MongoDB round trips whatever its
    // size, so a backlog drains in batches of up to MAX_POLL_RECORDS records (500 by default).
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
    props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
    props.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER_BYTES);
    props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    return props;
  }

  /** The producer shared by the dead-letter and entry-event publishers. */
  public synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>(common);
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      // An entry event is about 200 bytes and ingestion sends one per entry: batches of up to
      // 256 KiB (16 KiB by default) take a backlog's events in a few requests.
      props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      // A dead letter is a whole capture, which the proxy keeps under the exchanges topic's limit
      // (8 MiB in the chart and the dev stack).
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
      props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
      // A send waits at most this long for metadata when Kafka is away, so shutdown stays prompt.
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
      producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
      // Its own metrics (kafka_producer_*) at /q/metrics, beside the exchange consumer's.
      producerMetrics = new KafkaClientMetrics(producer);
      producerMetrics.bindTo(registry);
    }
    return producer;
  }

  /** The admin client the ingestion waits ask offsets with, created on first use. */
  public synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> props = new HashMap<>(common);
      props.keySet().retainAll(AdminClientConfig.configNames());
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tapedeck-storage-admin");
      props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
      admin = Admin.create(props);
    }
    return admin;
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    if (producerMetrics != null) {
      producerMetrics.close();
      producerMetrics = null;
    }
    if (producer != null) {
      LOG.debug("closing the Kafka producer");
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
