package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ordering and accounting through an outage, with Kafka's own MockProducer as the broker. */
class SpoolingPublisherTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @Test
  void anOutageSpoolsInOrderAndPublishesInOrderWhenKafkaReturns() throws Exception {
    MockProducer<String, byte[]> kafka =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      SpoolingPublisher publisher = publisher(kafka, spool);
      publisher.publish("s", bytes("r0"));
      kafka.completeNext();
      publisher.publish("s", bytes("r1"));
      publisher.publish("s", bytes("r2"));

      // Kafka goes away: the two in flight fail into the spool; later records queue behind them.
      Thread failing =
          Thread.ofVirtual()
              .start(
                  () -> {
                    sleep(50);
                    kafka.errorNext(new TimeoutException("broker gone"));
                    kafka.errorNext(new TimeoutException("broker gone"));
                  });
      kafka.sendException = new TimeoutException("still gone");
      publisher.publish("s", bytes("r3"));
      failing.join();
      publisher.publish("s", bytes("r4"));
      assertThat(values(spool.peek(10))).containsExactly("r1", "r2", "r3", "r4");

      // Kafka is back: the next tick publishes the spool in order.
      kafka.sendException = null;
      Thread.sleep(600);
      Thread completer = autoComplete(kafka);
      publisher.tick();
      completer.interrupt();
      assertThat(spool.isEmpty()).isTrue();
      List<String> sent = kafka.history().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
      assertThat(sent).containsSubsequence("r0", "r1", "r2", "r3", "r4");
      assertThat(sent.subList(sent.size() - 4, sent.size())).containsExactly("r1", "r2", "r3", "r4");
      assertThat(metrics.counter("spooled").count()).isEqualTo(4);
      assertThat(metrics.counter("published").count()).isEqualTo(5);

      // Healthy again: the next record goes straight to Kafka.
      publisher.publish("s", bytes("r5"));
      assertThat(spool.isEmpty()).isTrue();
    }
  }

  @Test
  void whatTheSpoolCannotHoldIsCounted() {
    MockProducer<String, byte[]> kafka =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    kafka.sendException = new TimeoutException("gone");
    try (DiskSpool spool = new DiskSpool(dir, 64)) {
      SpoolingPublisher publisher = publisher(kafka, spool);
      for (int i = 0; i < 5; i++) {
        publisher.publish("s", new byte[20]);
      }
      assertThat(spool.count()).isEqualTo(2);
      assertThat(metrics.counter("overflow").count()).isEqualTo(3);
    }
  }

  private SpoolingPublisher publisher(MockProducer<String, byte[]> kafka, DiskSpool spool) {
    return new SpoolingPublisher(
        kafka,
        () -> kafka.sendException == null,
        spool,
        (key, value) -> new ProducerRecord<>("t", key, value),
        metrics.counter("published"),
        metrics.counter("failed"),
        metrics.counter("spooled"),
        metrics.counter("overflow"));
  }

  /** Completes every send as it comes, like a healthy broker, until interrupted. */
  private static Thread autoComplete(MockProducer<String, byte[]> kafka) {
    return Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                if (!kafka.completeNext()) {
                  sleep(1);
                }
              }
            });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(List<DiskSpool.Spooled> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }
}
