package dev.tapedeck.storage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.devstack.KafkaBroker;
import dev.tapedeck.devstack.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion wait against a real Kafka broker: records are published keyed by session id, as
 * the proxies publish captures, and the ingestion group's commits are made by hand, so each test
 * decides exactly what "stored" has reached.
 */
class IngestionBarrierTest {
  private static final int PARTITIONS = 3;
  private static final String GROUP = "tapedeck-storage";
  private static final AtomicInteger TOPICS = new AtomicInteger();

  @TempDir static Path dataDir;
  private static KafkaBroker broker;
  private static Admin admin;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dataDir, LoopbackPorts.free());
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() {
    if (producer != null) {
      producer.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aSessionsCapturesAreInThePartitionTheWaitWatches() throws Exception {
    String topic = newTopic();
    for (String session : List.of("session-a", "session-b", "3f1c9e8a-52d4-4a47-9a3e-0c6d2b7e9f10")) {
      int partition = producer.send(new ProducerRecord<>(topic, session, new byte[1])).get().partition();
      assertThat(IngestionBarrier.partitionOf(session, PARTITIONS)).as(session).isEqualTo(partition);
    }
  }

  @Test
  void waitsUntilTheGroupHasCommittedWhatWasPublishedAndNoLonger() throws Exception {
    String topic = newTopic();
    publish(topic, "session-a", 5);
    IngestionBarrier barrier = new IngestionBarrier(admin, topic, GROUP);

    assertThat(barrier.await("session-a", Duration.ZERO))
        .isEqualTo(new IngestionBarrier.Progress(false, 5));

    commit(topic, "session-a", 2);
    assertThat(barrier.await("session-a", Duration.ZERO).pendingRecords()).isEqualTo(3);

    CompletableFuture<Void> rest =
        CompletableFuture.runAsync(
            () -> commit(topic, "session-a", 5),
            CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
    long started = System.nanoTime();
    IngestionBarrier.Progress progress = barrier.await("session-a", Duration.ofSeconds(20));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    rest.get();

    assertThat(progress).isEqualTo(new IngestionBarrier.Progress(true, 0));
    assertThat(tookMillis).isBetween(300L, 5_000L);
  }

  @Test
  void givesUpAtTheTimeoutSayingHowManyRecordsAreStillPending() throws Exception {
    String topic = newTopic();
    publish(topic, "session-a", 4);
    commit(topic, "session-a", 1);
    IngestionBarrier barrier = new IngestionBarrier(admin, topic, GROUP);

    long started = System.nanoTime();
    IngestionBarrier.Progress progress = barrier.await("session-a", Duration.ofMillis(300));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(progress).isEqualTo(new IngestionBarrier.Progress(false, 3));
    assertThat(tookMillis).isBetween(300L, 5_000L);
  }

  @Test
  void anotherPartitionsBacklogIsNotWaitedFor() throws Exception {
    String topic = newTopic();
    String busy = "session-a";
    String quiet = sessionOnAnotherPartitionThan(busy);
    publish(topic, busy, 10);
    publish(topic, quiet, 2);
    commit(topic, quiet, 2);
    IngestionBarrier barrier = new IngestionBarrier(admin, topic, GROUP);

    assertThat(barrier.await(quiet, Duration.ZERO)).isEqualTo(new IngestionBarrier.Progress(true, 0));
    assertThat(barrier.await(busy, Duration.ZERO)).isEqualTo(new IngestionBarrier.Progress(false, 10));
  }

  @Test
  void nothingPublishedYetIsNothingToWaitFor() throws Exception {
    IngestionBarrier neverCreated = new IngestionBarrier(admin, "never-created-" + TOPICS.incrementAndGet(), GROUP);
    assertThat(neverCreated.await("session-a", Duration.ofSeconds(5)))
        .isEqualTo(new IngestionBarrier.Progress(true, 0));

    String topic = newTopic();
    IngestionBarrier empty = new IngestionBarrier(admin, topic, GROUP);
    assertThat(empty.await("session-a", Duration.ofSeconds(5)))
        .isEqualTo(new IngestionBarrier.Progress(true, 0));
  }

  private static String newTopic() {
    String topic = "exchanges-" + TOPICS.incrementAndGet();
    broker.createTopics(List.of(topic), PARTITIONS);
    return topic;
  }

  private static void publish(String topic, String session, int records) throws Exception {
    for (int i = 0; i < records; i++) {
      producer.send(new ProducerRecord<>(topic, session, new byte[16])).get();
    }
  }

  /** Commits the group's offset in {@code session}'s partition, as the ingestion loop does. */
  private static void commit(String topic, String session, long nextOffset) {
    TopicPartition partition = new TopicPartition(topic, IngestionBarrier.partitionOf(session, PARTITIONS));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(nextOffset)));
    }
  }

  private static String sessionOnAnotherPartitionThan(String session) {
    int taken = IngestionBarrier.partitionOf(session, PARTITIONS);
    for (int i = 0; ; i++) {
      String candidate = "session-" + i;
      if (IngestionBarrier.partitionOf(candidate, PARTITIONS) != taken) {
        return candidate;
      }
    }
  }
}
