package dev.tapedeck.storage.ingest;

import dev.tapedeck.storage.config.StorageConfig;
import dev.tapedeck.storage.entry.EntryRepository;
import dev.tapedeck.storage.kafka.KafkaClients;
import dev.tapedeck.storage.metrics.StorageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * The ingestion loop: a dedicated thread, started with the application, that polls the exchanges
 * topic, hands each batch to the {@link BatchIngestor} and commits the batch's offsets only once it
 * is stored.
 *
 * <p>It never gives up: when MongoDB or Kafka is not reachable (not started yet, or gone), it logs,
 * waits with a growing backoff and tries again, processing a failed batch again from its first
 * record. On shutdown it wakes the consumer and closes it.
 */
@ApplicationScoped
public class ExchangeIngestion {

  private static final Logger LOG = Logger.getLogger(ExchangeIngestion.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final KafkaClients clients;
  private final EntryRepository repository;
  private final BatchIngestor ingestor;
  private final StorageConfig config;
  private final StorageMetrics metrics;
  private final MeterRegistry registry;
  private final IngestionLiveness liveness;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile KafkaConsumer<String, ByteBuffer> consumer;
  private Thread thread;

  @Inject
  ExchangeIngestion(
      KafkaClients clients,
      EntryRepository repository,
      BatchIngestor ingestor,
      StorageConfig config,
      StorageMetrics metrics,
      MeterRegistry registry,
      @Liveness IngestionLiveness liveness) {
    this.metrics = metrics;
    this.registry = registry;
    this.liveness = liveness;
    this.clients = clients;
    this.repository = repository;
    this.ingestor = ingestor;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    thread = new Thread(this::run, "tapedeck-ingestion");
    thread.setUncaughtExceptionHandler(liveness);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stopping.countDown();
    KafkaConsumer<String, ByteBuffer> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      thread.join(STOP_TIMEOUT.toMillis());
      if (thread.isAlive()) {
        LOG.warn("ingestion loop did not stop in time");
      }
    }
  }

  /** The consumer's records-lag-max metric (0 until it has fetched); on the consumer's thread. */
  private static double lagOf(KafkaConsumer<String, ByteBuffer> c) {
    return c.metrics().entrySet().stream()
            .filter(e -> e.getKey().name().equals("records-lag-max"))
            .filter(e -> e.getKey().group().equals("consumer-fetch-manager-metrics"))
            .filter(e -> !e.getKey().tags().containsKey("topic"))
            .map(e -> e.getValue().metricValue())
            .filter(Number.class::isInstance)
            .mapToDouble(v -> ((Number) v).doubleValue())
            .filter(v -> !Double.isNaN(v))
            .max()
            .orElse(0.0);
  }

  private boolean running() {
    return stopping.getCount() > 0;
  }

  private void run() {
    Backoff backoff =
        new Backoff(config.storage().retryBackoff(), config.storage().retryBackoffMax());
    prepareStore(backoff);
    while (running()) {
      KafkaConsumer<String, ByteBuffer> c = null;
      KafkaClientMetrics clientMetrics = null;
      try {
        c = clients.newExchangeConsumer();
        consumer = c;
        // The consumer's own metrics (kafka_consumer_*: fetch sizes and latency, lag) at /q/metrics.
        clientMetrics = new KafkaClientMetrics(c);
        clientMetrics.bindTo(registry);
        // stop() may have run before the consumer was visible to it, and so not woken it.
        if (!running()) {
          break;
        }
        c.subscribe(List.of(config.kafka().exchangesTopic()));
        LOG.infof(
            "consuming %s as group %s",
            config.kafka().exchangesTopic(), config.kafka().consumerGroup());
        consume(c, backoff);
      } catch (WakeupException e) {
        // stop() woke the consumer; the loop condition ends it.
      } catch (RuntimeException e) {
        Duration wait = backoff.next();
        LOG.warnf(e, "Kafka consumer failed; starting a new one in %s", wait);
        pause(wait);
      } finally {
        consumer = null;
        if (clientMetrics != null) {
          clientMetrics.close();
        }
        if (c != null) {
          closeQuietly(c);
        }
      }
    }
    LOG.info("ingestion loop stopped");
  }

  /** Creates the indexes, retrying until MongoDB answers. */
  private void prepareStore(Backoff backoff) {
    while (running()) {
      try {
        repository.ensureIndexes();
        backoff.reset();
        return;
      } catch (RuntimeException e) {
        Duration wait = backoff.next();
        LOG.warnf("MongoDB is not reachable (%s); retrying in %s", e.getMessage(), wait);
        pause(wait);
      }
    }
  }

  private void consume(KafkaConsumer<String, ByteBuffer> c, Backoff backoff) {
    while (running()) {
      ConsumerRecords<String, ByteBuffer> records = c.poll(config.kafka().pollTimeout());
      metrics.consumerLag(lagOf(c));
      if (records.isEmpty()) {
        continue;
      }
      try {
        ingestor.ingest(records);
        c.commitSync(nextOffsets(records));
        backoff.reset();
      } catch (WakeupException e) {
        throw e;
      } catch (RuntimeException e) {
        Duration wait = backoff.next();
        LOG.warnf(
            e,
            "could not store a batch of %d records; trying it again in %s",
            records.count(),
            wait);
        rewind(c, records);
        pause(wait);
      }
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, ByteBuffer> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, ByteBuffer>> batch = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(batch.getLast().offset() + 1));
    }
    return offsets;
  }

  /** Moves the consumer back to the batch's first records, so the next poll returns them again. */
  private static void rewind(
      KafkaConsumer<String, ByteBuffer> c, ConsumerRecords<String, ByteBuffer> records) {
    for (TopicPartition partition : records.partitions()) {
      // After a rebalance the partition may belong to another consumer, which will redo it.
      if (c.assignment().contains(partition)) {
        c.seek(partition, records.records(partition).getFirst().offset());
      }
    }
  }

  private void pause(Duration wait) {
    try {
      stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }

  private static void closeQuietly(KafkaConsumer<String, ByteBuffer> c) {
    try {
      c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      LOG.debugf(e, "closing the Kafka consumer failed");
    }
  }
}
