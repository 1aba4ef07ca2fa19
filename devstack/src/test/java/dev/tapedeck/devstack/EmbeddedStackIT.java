package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged stack as {@code make run} and the test kit do, and uses it for real. */
class EmbeddedStackIT {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(30);

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void keepsKafkaRecordsAndMongoDocumentsAcrossRestarts(@TempDir Path data) throws Exception {
    String marker = UUID.randomUUID().toString();

    long launched = System.nanoTime();
    try (StackUnderTest stack =
        StackUnderTest.launch(
            data,
            "--kafka-port",
            Integer.toString(LoopbackPorts.free()),
            "--mongo-port",
            Integer.toString(LoopbackPorts.free()),
            "--partitions",
            "2")) {
      ReadyLine ready = stack.awaitReady(READY);
      long readyMillis = Duration.ofNanos(System.nanoTime() - launched).toMillis();

      assertThat(partitionCounts(ready.kafkaBootstrap()))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(Topics.EXCHANGES, 2, Topics.EXCHANGES_DLQ, 2, Topics.ENTRY_EVENTS, 2));
      produce(ready.kafkaBootstrap(), marker);
      assertThat(consumeAll(ready.kafkaBootstrap(), marker)).contains(marker);
      try (MongoClient mongo = MongoClients.create(ready.mongoUri())) {
        documents(mongo).insertOne(new Document("_id", marker).append("kind", "it"));
        assertThat(documents(mongo).find(new Document("_id", marker)).first())
            .isNotNull()
            .containsEntry("kind", "it");
      }
      Thread.sleep(3000); // let the JVMs settle before measuring memory at rest
      System.out.printf(
          "[EmbeddedStackIT] first start: ready line after %d ms (%s); stack RSS %s KiB, Kafka"
              + " child RSS %s KiB%n",
          readyMillis,
          stack.stderrText().lines().filter(l -> l.contains("Kafka ready")).findFirst().orElse(""),
          rssKib(stack.process.pid()),
          stack.process.children().map(p -> rssKib(p.pid())).findFirst().orElse("?"));

      assertThat(stack.stop(STOP)).as("exit code after SIGTERM").isZero();
      assertThat(stack.process.descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    // Same data folder, other ports: what was written is still there.
    long relaunched = System.nanoTime();
    try (StackUnderTest stack =
        StackUnderTest.launch(
            data,
            "--kafka-port",
            Integer.toString(LoopbackPorts.free()),
            "--mongo-port",
            Integer.toString(LoopbackPorts.free()),
            "--partitions",
            "2")) {
      ReadyLine ready = stack.awaitReady(READY);
      System.out.printf(
          "[EmbeddedStackIT] restart: ready line after %d ms%n",
          Duration.ofNanos(System.nanoTime() - relaunched).toMillis());
      try (MongoClient mongo = MongoClients.create(ready.mongoUri())) {
        assertThat(documents(mongo).find(new Document("_id", marker)).first())
            .isNotNull()
            .containsEntry("kind", "it");
      }
      assertThat(consumeAll(ready.kafkaBootstrap(), marker)).contains(marker);
      assertThat(stack.stop(STOP)).isZero();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void exitsWithAClearMessageWhenAPortIsTaken(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      try (StackUnderTest stack =
          StackUnderTest.launch(
              data,
              "--kafka-port",
              Integer.toString(taken.getLocalPort()),
              "--mongo-port",
              Integer.toString(LoopbackPorts.free()))) {
        assertThat(stack.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stack.process.exitValue()).isEqualTo(1);
        assertThat(stack.stderrText())
            .contains("Port " + taken.getLocalPort() + " (Kafka)")
            .contains("already in use")
            .contains("--kafka-port");
        assertThat(stack.stdout.toString()).doesNotContain(ReadyLine.PREFIX);
      }
    }
  }

  private static MongoCollection<Document> documents(MongoClient mongo) {
    return mongo.getDatabase("tapedeck_it").getCollection("things");
  }

  private static Map<String, Integer> partitionCounts(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(Topics.ALL).allTopicNames().get(20, TimeUnit.SECONDS);
      Map<String, Integer> counts = new java.util.HashMap<>();
      topics.forEach((name, d) -> counts.put(name, d.partitions().size()));
      return counts;
    }
  }

  private static void produce(String bootstrap, String value) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.EXCHANGES, "session-1", value))
          .get(20, TimeUnit.SECONDS);
    }
  }

  /** Reads {@link Topics#EXCHANGES} from the start until {@code expected} shows up (or 20 s). */
  private static List<String> consumeAll(String bootstrap, String expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.EXCHANGES, Duration.ofSeconds(20)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!values.contains(expected) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static String rssKib(long pid) {
    try {
      Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
      String out = new String(ps.getInputStream().readAllBytes()).trim();
      ps.waitFor(5, TimeUnit.SECONDS);
      return Optional.of(out).filter(s -> !s.isEmpty()).orElse("?");
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }
}
