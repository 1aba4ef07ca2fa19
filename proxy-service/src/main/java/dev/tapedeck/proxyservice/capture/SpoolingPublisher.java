package dev.tapedeck.proxyservice.capture;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends records to Kafka, and keeps them in a {@link DiskSpool} while Kafka is unavailable, in
 * order: once a send fails, every later record goes to the spool behind it (after the records
 * still in flight have failed into it too), until the spool is published and empty again.
 *
 * <p>Its methods run on the sink's one publisher thread; only the producer's callbacks come from
 * the producer's I/O thread.
 */
final class SpoolingPublisher {
  private static final Logger LOG = Logger.getLogger(SpoolingPublisher.class);
  private static final int DRAIN_BATCH = 256;
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** What publishing needs to know about one record: its size, for the producer's headers. */
  interface RecordFactory {
    ProducerRecord<String, byte[]> create(String key, byte[] value);
  }

  private final Producer<String, byte[]> producer;
  private final BooleanSupplier kafkaReachable;
  private final DiskSpool spool;
  private final RecordFactory records;
  private final Counter published;
  private final Counter failed;
  private final Counter spooled;
  private final Counter overflowed;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastOverflowWarning = new AtomicLong();
  private long nextDrain;

  SpoolingPublisher(
      Producer<String, byte[]> producer,
      BooleanSupplier kafkaReachable,
      DiskSpool spool,
      RecordFactory records,
      Counter published,
      Counter failed,
      Counter spooled,
      Counter overflowed) {
    this.producer = producer;
    this.kafkaReachable = kafkaReachable;
    this.spool = spool;
    this.records = records;
    this.published = published;
    this.failed = failed;
    this.spooled = spooled;
    this.overflowed = overflowed;
    if (!spool.isEmpty()) {
      LOG.infof("%d captures wait in the spool from an earlier run; publishing them", spool.count());
      healthy.set(false);
    }
  }

  /** Publishes one record, or spools it behind the ones waiting. */
  void publish(String key, byte[] value) {
    if (healthy.get() && spool.isEmpty()) {
      sendDirect(key, value);
      return;
    }
    awaitInFlight();
    toSpool(key, value);
    drain();
  }

  /** Called now and then when idle: publishes what the spool holds once Kafka is back. */
  void tick() {
    if (!spool.isEmpty()) {
      awaitInFlight();
      drain();
    }
  }

  private void sendDirect(String key, byte[] value) {
    inFlight.incrementAndGet();
    try {
      producer.send(
          records.create(key, value),
          (metadata, error) -> {
            try {
              if (error == null) {
                published.increment();
              } else {
                failed.increment();
                if (healthy.getAndSet(false)) {
                  LOG.warnf("Kafka refused a capture (%s); spooling captures to disk until it is back", error.toString());
                }
                toSpool(key, value);
              }
            } finally {
              inFlight.decrementAndGet();
            }
          });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      failed.increment();
      if (healthy.getAndSet(false)) {
        LOG.warnf("Kafka is unavailable (%s); spooling captures to disk until it is back", e.toString());
      }
      awaitInFlight();
      toSpool(key, value);
    }
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

  private void toSpool(String key, byte[] value) {
    if (spool.append(key, value)) {
      spooled.increment();
      return;
    }
    overflowed.increment();
    long now = System.currentTimeMillis();
    long last = lastOverflowWarning.get();
    if (now - last >= 10_000 && lastOverflowWarning.compareAndSet(last, now)) {
      LOG.errorf(
          "Capture spool full (%d bytes): a capture of session %s is lost;"
              + " %.0f lost so far (tapedeck_capture_spool_overflow_total)",
          spool.bytes(), key, overflowed.count());
    }
  }

  /**
   * Sends the spool's oldest records in batches; removes each batch's published prefix. Stops at
   * the first failure and tries again half a second later.
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
      List<Future<?>> sent = new ArrayList<>(batch.size());
      int ok = 0;
      try {
        for (DiskSpool.Spooled record : batch) {
          sent.add(producer.send(records.create(record.key(), record.value())));
        }
        producer.flush();
        for (Future<?> future : sent) {
          future.get();
          ok++;
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        spool.remove(ok);
        published.increment(ok);
        nextDrain = System.nanoTime() + RETRY_NANOS;
        LOG.debugf("Spool drain stopped after %d records: %s", ok, e.toString());
        return;
      }
      spool.remove(ok);
      published.increment(ok);
    }
    if (!healthy.getAndSet(true)) {
      LOG.info("Kafka is back; the capture spool is published and empty");
    }
  }
}
