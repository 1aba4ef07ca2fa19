package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
      publisher.publish("s", bytes("r0"), null, System.nanoTime());
      kafka.completeNext();
      publisher.publish("s", bytes("r1"), null, System.nanoTime());
      publisher.publish("s", bytes("r2"), null, System.nanoTime());

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
      publisher.publish("s", bytes("r3"), null, System.nanoTime());
      failing.join();
      publisher.publish("s", bytes("r4"), null, System.nanoTime());
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
      publisher.publish("s", bytes("r5"), null, System.nanoTime());
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
        publisher.publish("s", new byte[20], null, System.nanoTime());
      }
      assertThat(spool.count()).isEqualTo(2);
      assertThat(metrics.counter("overflow").count()).isEqualTo(3);
    }
  }

  private SpoolingPublisher publisher(MockProducer<String, byte[]> kafka, DiskSpool spool) {
    return publisher(() -> kafka, () -> kafka.sendException == null, spool);
  }

  private SpoolingPublisher publisher(
      Supplier<Producer<String, byte[]>> producers, BooleanSupplier reachable, DiskSpool spool) {
    return new SpoolingPublisher(
        producers,
        reachable,
        spool,
        (key, value) -> new ProducerRecord<>("t", key, value),
        (value, reason) -> ("stub of " + new String(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
        new SpoolingPublisher.Counters(
            metrics.counter("published"),
            metrics.counter("failed"),
            metrics.counter("spooled"),
            metrics.counter("overflow"),
            metrics.counter("stubbed"),
            metrics.counter("renewed"),
            KafkaCaptureSink.acknowledgedTimer(metrics)));
  }

  @Test
  void aCaptureIsTimedFromItsQueueingToKafkasAcknowledgementAndASpooledOneIsNot() {
    MockProducer<String, byte[]> kafka =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      SpoolingPublisher publisher = publisher(kafka, spool);
      publisher.publish("s", bytes("r0"), null, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(40));
      Timer acknowledged = metrics.get("tapedeck_capture_acknowledged").timer();
      assertThat(acknowledged.count()).as("not acknowledged yet").isZero();
      kafka.completeNext();
      assertThat(acknowledged.count()).isEqualTo(1);
      assertThat(acknowledged.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(40);

      kafka.sendException = new TimeoutException("gone");
      publisher.publish("s", bytes("r1"), null, System.nanoTime());
      assertThat(spool.count()).isEqualTo(1);
      assertThat(acknowledged.count()).as("a spooled capture is not timed").isEqualTo(1);
    }
  }

  @Test
  void aRecordKafkaRefusesAsTooLargeIsStoredAsItsStubAndWedgesNothing() throws Exception {
    ScriptedKafka kafka = new ScriptedKafka();
    kafka.tooLarge.add("big");
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      SpoolingPublisher publisher = publisher(() -> kafka, () -> true, spool);
      publisher.publish("s", bytes("r0"), null, System.nanoTime());
      publisher.publish("s", bytes("big"), null, System.nanoTime());
      for (int i = 1; i <= 600; i++) {
        publisher.publish("s", bytes("r" + i), null, System.nanoTime());
      }
      Thread.sleep(600);
      publisher.tick();
      assertThat(spool.isEmpty()).isTrue();
      List<String> sent = kafka.acknowledged();
      assertThat(sent).contains("stub of big").doesNotContain("big");
      assertThat(sent.stream().filter(v -> v.matches("r\\d+"))).hasSize(601).doesNotHaveDuplicates();
      assertThat(metrics.counter("stubbed").count()).isEqualTo(1);
    }
  }

  @Test
  void theDrainRemovesEveryAcknowledgedRecordAndResendsOnlyTheFailedOnes() throws Exception {
    ScriptedKafka kafka = new ScriptedKafka();
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        spool.append("s", bytes("r" + i));
      }
      kafka.failOnce.add("r1");
      kafka.failOnce.add("r3");
      SpoolingPublisher publisher = publisher(() -> kafka, () -> true, spool);
      publisher.tick();
      assertThat(values(spool.peek(10))).containsExactly("r1", "r3");
      Thread.sleep(600);
      publisher.tick();
      assertThat(spool.isEmpty()).isTrue();
      assertThat(kafka.acknowledged()).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4");
    }
  }

  @Test
  void aFatalProducerErrorBringsANewProducerAndLosesNothing() throws Exception {
    ScriptedKafka first = new ScriptedKafka();
    ScriptedKafka second = new ScriptedKafka();
    first.fatal.add("r1");
    List<ScriptedKafka> producers = new ArrayList<>(List.of(first, second));
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      SpoolingPublisher publisher = publisher(() -> producers.remove(0), () -> true, spool);
      publisher.publish("s", bytes("r0"), null, System.nanoTime());
      publisher.publish("s", bytes("r1"), null, System.nanoTime());
      publisher.publish("s", bytes("r2"), null, System.nanoTime());
      Thread.sleep(600);
      publisher.tick();
      publisher.publish("s", bytes("r3"), null, System.nanoTime());
      Thread.sleep(600);
      publisher.tick();
      assertThat(metrics.counter("renewed").count()).isEqualTo(1);
      assertThat(spool.isEmpty()).isTrue();
      List<String> all = new ArrayList<>(first.acknowledged());
      all.addAll(second.acknowledged());
      assertThat(all).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");
    }
  }

  @Test
  void aDurableCaptureCompletesWhenKafkaHasItOrWhenItIsSpooled() throws Exception {
    MockProducer<String, byte[]> kafka =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      SpoolingPublisher publisher = publisher(kafka, spool);
      CompletableFuture<Void> acked = new CompletableFuture<>();
      publisher.publish("s", bytes("r0"), acked, System.nanoTime());
      assertThat(acked).isNotDone();
      kafka.completeNext();
      assertThat(acked).isCompleted();
      kafka.sendException = new TimeoutException("gone");
      CompletableFuture<Void> spooled = new CompletableFuture<>();
      publisher.publish("s", bytes("r1"), spooled, System.nanoTime());
      assertThat(spooled).isCompleted();
      assertThat(values(spool.peek(10))).containsExactly("r1");
    }
  }

  /**
   * A broker that acknowledges at once, except: values in {@code tooLarge} are refused for good,
   * values in {@code failOnce} time out the first time, values in {@code fatal} fail the producer.
   */
  private static final class ScriptedKafka extends MockProducer<String, byte[]> {
    final Set<String> tooLarge = new HashSet<>();
    final Set<String> failOnce = new HashSet<>();
    final Set<String> fatal = new HashSet<>();
    private final List<String> acked = new CopyOnWriteArrayList<>();
    private boolean failed;

    ScriptedKafka() {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
      String value = new String(record.value(), StandardCharsets.UTF_8);
      RuntimeException error = null;
      if (failed) {
        error = new IllegalStateException("producer failed before");
      } else if (tooLarge.contains(value)) {
        error = new RecordTooLargeException("too large");
      } else if (failOnce.remove(value)) {
        error = new TimeoutException("slow broker");
      } else if (fatal.remove(value)) {
        failed = true;
        error = new OutOfOrderSequenceException("out of order");
      }
      if (error != null) {
        if (callback != null) {
          callback.onCompletion(null, error);
        }
        return CompletableFuture.failedFuture(error);
      }
      acked.add(value);
      return super.send(record, callback);
    }

    List<String> acknowledged() {
      return acked;
    }
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
