package dev.tapedeck.proxyservice.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends records to Kafka, and keeps them in a {@link DiskSpool} while Kafka is unavailable, in
 * order: once a send fails, every later record goes to the spool behind it (after the records
 * still in flight have failed into it too), until the spool is published and empty again.
 *
 * <p>What Kafka can never take (a record too large, an invalid record) does not enter the spool
 * as it is: it is replaced by its stub ({@link RecordFit#stub}), which names what was lost, so
 * one bad record cannot wedge the spool. The drain sends a batch and removes every record Kafka
 * acknowledged, whatever its position, so nothing Kafka already has is sent again. After a fatal
 * producer error (fenced, out of sequence, closed) the producer is replaced by a new one.
 *
 * <p>Its methods run on the sink's one publisher thread; only the producer's callbacks come from
 * the producer's I/O thread.
 */
final class SpoolingPublisher {
  private static final Logger LOG = Logger.getLogger(SpoolingPublisher.class);
  private static final int DRAIN_BATCH = 256;
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** Makes the Kafka record for a key and a value. */
  interface RecordFactory {
    ProducerRecord<String, byte[]> create(String key, byte[] value);
  }

  /** Reduces a record Kafka refused for good to a small one saying why; null if it cannot. */
  interface Stubber {
    byte[] stub(byte[] value, String reason);
  }

  /**
   * The meters publishing keeps; {@code acknowledged} times a capture sent directly from the moment
   * it was queued for publishing until Kafka acknowledged it.
   */
  record Counters(
      Counter published,
      Counter failed,
      Counter spooled,
      Counter overflowed,
      Counter stubbed,
      Counter renewed,
      Timer acknowledged) {}

  private final Supplier<Producer<String, byte[]>> producers;
  private final BooleanSupplier kafkaReachable;
  private final DiskSpool spool;
  private final RecordFactory records;
  private final Stubber stubs;
  private final Counters counters;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicBoolean renew = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastOverflowWarning = new AtomicLong();
  private volatile Producer<String, byte[]> producer;
  private long nextDrain;

  SpoolingPublisher(
      Supplier<Producer<String, byte[]>> producers,
      BooleanSupplier kafkaReachable,
      DiskSpool spool,
      RecordFactory records,
      Stubber stubs,
      Counters counters) {
    this.producers = producers;
    this.producer = producers.get();
    this.kafkaReachable = kafkaReachable;
    this.spool = spool;
    this.records = records;
    this.stubs = stubs;
    this.counters = counters;
    if (!spool.isEmpty()) {
      LOG.infof("%d captures wait in the spool from an earlier run; publishing them", spool.count());
      healthy.set(false);
    }
  }

  /**
   * Publishes one record, or spools it behind the ones waiting. {@code durable}, when given, is
   * completed once Kafka acknowledged the record (or its stub), or once it is in the spool.
   * {@code queuedNanos} ({@link System#nanoTime}) is when the record was queued for publishing: a
   * record sent directly is timed from then to its acknowledgement.
   */
  void publish(String key, byte[] value, CompletableFuture<Void> durable, long queuedNanos) {
    renewProducerIfFailed();
    if (healthy.get() && spool.isEmpty()) {
      sendDirect(key, value, durable, queuedNanos);
      return;
    }
    awaitInFlight();
    toSpool(key, value, durable);
    drain();
  }

  /** Called now and then when idle: publishes what the spool holds once Kafka is back. */
  void tick() {
    renewProducerIfFailed();
    if (!spool.isEmpty()) {
      awaitInFlight();
      drain();
    }
  }

  /** The producer in use, for closing on shutdown. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  private void sendDirect(String key, byte[] value, CompletableFuture<Void> durable, long queuedNanos) {
    inFlight.incrementAndGet();
    try {
      producer.send(
          records.create(key, value),
          (metadata, error) -> {
            try {
              if (error == null) {
                counters.published().increment();
                counters.acknowledged().record(System.nanoTime() - queuedNanos, TimeUnit.NANOSECONDS);
                complete(durable);
              } else {
                failedDirect(key, value, durable, error);
              }
            } finally {
              inFlight.decrementAndGet();
            }
          });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      awaitInFlight(); // the records sent before it go first, into the spool if they fail too
      failedDirect(key, value, durable, e);
    }
  }

  /**
   * A direct send failed (on the producer's I/O thread, or at once on this one): stub it, or
   * spool it for later.
   */
  private void failedDirect(String key, byte[] value, CompletableFuture<Void> durable, Exception error) {
    if (KafkaErrors.unfixable(error)) {
      spoolStub(key, value, error, durable);
      return;
    }
    counters.failed().increment();
    noteFatal(error);
    if (healthy.getAndSet(false)) {
      LOG.warnf("Kafka is unavailable or refused a capture (%s); spooling captures to disk until it is back", error.toString());
    }
    toSpool(key, value, durable);
  }

  /**
   * Puts the stub of a record Kafka will never take in the spool (not sent from here: this may run
   * on the producer's I/O thread, which must not wait on the producer); the drain publishes it.
   */
  private void spoolStub(String key, byte[] value, Exception error, CompletableFuture<Void> durable) {
    byte[] stub = stubs.stub(value, refusal(value, error));
    if (stub == null) {
      lost(key, "cannot even be reduced to a stub (" + error + ")");
      fail(durable, error);
      return;
    }
    LOG.warnf("Kafka refused a capture for good (%s); its stub is stored instead", error.toString());
    counters.stubbed().increment();
    toSpool(key, stub, durable);
  }

  private static String refusal(byte[] value, Exception error) {
    return "Kafka refused the capture of " + value.length + " bytes for good: " + error;
  }

  private void noteFatal(Exception error) {
    if (KafkaErrors.fatal(error) && renew.compareAndSet(false, true)) {
      LOG.warnf("The Kafka producer failed for good (%s); a new one takes over", error.toString());
    }
  }

  /** Replaces a producer that failed for good; what it still held fails into the spool. */
  private void renewProducerIfFailed() {
    if (!renew.get()) {
      return;
    }
    Producer<String, byte[]> old = producer;
    try {
      old.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debugf("Closing the failed producer: %s", e.toString());
    }
    awaitInFlight();
    producer = producers.get();
    renew.set(false);
    healthy.set(false);
    counters.renewed().increment();
  }

  /** Waits until every record sent directly has succeeded or failed into the spool. */
  private void awaitInFlight() {
    while (inFlight.get() > 0) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void toSpool(String key, byte[] value, CompletableFuture<Void> durable) {
    if (spool.append(key, value)) {
      counters.spooled().increment();
      complete(durable);
      return;
    }
    counters.overflowed().increment();
    lost(key, "the spool is full (" + spool.bytes() + " bytes)");
    fail(durable, new IllegalStateException("capture spool full"));
  }

  private void lost(String key, String why) {
    long now = System.currentTimeMillis();
    long last = lastOverflowWarning.get();
    if (now - last >= 10_000 && lastOverflowWarning.compareAndSet(last, now)) {
      LOG.errorf(
          "A capture of session %s is lost: %s; %.0f lost so far (tapedeck_capture_spool_overflow_total)",
          key, why, counters.overflowed().count());
    }
  }

  /**
   * Sends the spool's oldest records in batches and removes every one Kafka acknowledged; a record
   * Kafka refused for good is replaced by its stub. Stops at a batch with a failure and tries
   * again half a second later.
   */
  private void drain() {
    if (System.nanoTime() < nextDrain) {
      return;
    }
    if (!kafkaReachable.getAsBoolean()) {
      // A batch sent now would only wait out the delivery timeout: ask again shortly.
      nextDrain = System.nanoTime() + RETRY_NANOS;
      return;
    }
    while (!spool.isEmpty()) {
      List<DiskSpool.Spooled> batch = spool.peek(DRAIN_BATCH);
      boolean[] done = new boolean[batch.size()];
      boolean retry = sendBatch(batch, done);
      int published = 0;
      for (boolean d : done) {
        published += d ? 1 : 0;
      }
      spool.remove(done);
      counters.published().increment(published);
      if (retry) {
        nextDrain = System.nanoTime() + RETRY_NANOS;
        LOG.debugf("Spool drain: %d of %d records published; retrying the rest", published, batch.size());
        return;
      }
    }
    if (!healthy.getAndSet(true)) {
      LOG.info("Kafka is back; the capture spool is published and empty");
    }
  }

  /** Sends a batch; marks what Kafka acknowledged in {@code done}; true if some must be retried. */
  private boolean sendBatch(List<DiskSpool.Spooled> batch, boolean[] done) {
    List<Future<?>> sent = new ArrayList<>(batch.size());
    boolean retry = false;
    for (DiskSpool.Spooled record : batch) {
      try {
        sent.add(producer.send(records.create(record.key(), record.value())));
      } catch (RuntimeException e) {
        sent.add(CompletableFuture.failedFuture(e));
        if (!KafkaErrors.unfixable(e)) {
          noteFatal(e);
          retry = true;
          break; // the rest stays in the spool, in order
        }
      }
    }
    try {
      producer.flush();
    } catch (RuntimeException e) {
      LOG.debugf("Flush failed: %s", e.toString());
    }
    for (int i = 0; i < sent.size(); i++) {
      try {
        sent.get(i).get();
        done[i] = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (ExecutionException e) {
        Exception cause = e.getCause() instanceof Exception c ? c : e;
        if (KafkaErrors.unfixable(cause)) {
          done[i] = publishStub(batch.get(i), cause);
        } else {
          noteFatal(cause);
        }
        retry |= !done[i];
      }
    }
    return retry || sent.size() < batch.size();
  }

  /** Sends a refused record's stub now, in its place; true once Kafka has it (or it is lost). */
  private boolean publishStub(DiskSpool.Spooled record, Exception error) {
    byte[] stub = stubs.stub(record.value(), refusal(record.value(), error));
    if (stub == null) {
      lost(record.key(), "cannot even be reduced to a stub (" + error + ")");
      return true;
    }
    try {
      producer.send(records.create(record.key(), stub)).get();
      counters.stubbed().increment();
      LOG.warnf("Kafka refused a spooled capture for good (%s); its stub is stored instead", error.toString());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static void complete(CompletableFuture<Void> durable) {
    if (durable != null) {
      durable.complete(null);
    }
  }

  private static void fail(CompletableFuture<Void> durable, Throwable error) {
    if (durable != null) {
      durable.completeExceptionally(error);
    }
  }
}
