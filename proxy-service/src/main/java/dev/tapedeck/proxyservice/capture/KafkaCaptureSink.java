package dev.tapedeck.proxyservice.capture;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.tapedeck.proxyservice.ShutdownOrder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes captured exchanges to {@code tapedeck.exchanges.v1}, keyed by session id so a
 * session's entries keep their order in one partition. Sends run on one publisher thread with a
 * queue bounded in count and in bytes, so the event loop never waits on Kafka and a slow broker
 * cannot exhaust the heap; an exchange that does not fit is counted in
 * {@code tapedeck_capture_dropped_total} and logged, never lost silently. While Kafka is
 * unavailable, captures wait in a bounded spool on disk and are published, in order, when it
 * returns (see {@link SpoolingPublisher}).
 */
@ApplicationScoped
public class KafkaCaptureSink implements CaptureSink {
  private static final Logger LOG = Logger.getLogger(KafkaCaptureSink.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final ThreadPoolExecutor publisher;
  private final Counter published;
  private final Counter failed;
  private final Counter dropped;
  private final ExchangeMeters meters;
  private final DiskSpool spool;
  private final SpoolingPublisher spooling;
  private final ScheduledExecutorService ticks;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long maxQueuedBytes;
  private final AtomicLong lastDropWarning = new AtomicLong();

  public KafkaCaptureSink(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "tapedeck.kafka.exchanges-topic") String topic,
      @ConfigProperty(name = "tapedeck.capture.publish-queue") int queueSize,
      @ConfigProperty(name = "tapedeck.capture.publish-queue-bytes") long maxQueuedBytes,
      @ConfigProperty(name = "tapedeck.capture.delivery-timeout") Duration deliveryTimeout,
      @ConfigProperty(name = "tapedeck.capture.producer-buffer-bytes") long producerBufferBytes,
      @ConfigProperty(name = "tapedeck.capture.spool-dir") Path spoolDir,
      @ConfigProperty(name = "tapedeck.capture.spool-max-bytes") long spoolMaxBytes,
      @ConfigProperty(name = "tapedeck.proxy.id") Optional<String> proxyId,
      MeterRegistry metrics) {
    this.maxQueuedBytes = maxQueuedBytes;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tapedeck-proxy");
    // Give up on a record after deliveryTimeout (it goes to the spool), and never block the
    // publisher thread long on missing metadata while Kafka is down.
    int delivery = (int) deliveryTimeout.toMillis();
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, Math.max(1000, delivery - 10)));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(2000, delivery));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, producerBufferBytes);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.publisher =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueSize),
            Thread.ofPlatform().daemon().name("capture-publisher").factory());
    this.published = metrics.counter("tapedeck_capture_published_total");
    this.failed = metrics.counter("tapedeck_capture_publish_failed_total");
    this.dropped = metrics.counter("tapedeck_capture_dropped_total");
    this.meters = new ExchangeMeters(metrics);
    metrics.gauge("tapedeck_capture_queue_size", publisher, p -> p.getQueue().size());
    metrics.gauge("tapedeck_capture_queue_bytes", queuedBytes);
    this.spool = new DiskSpool(spoolDir.resolve(proxyId.filter(id -> !id.isBlank()).orElse("default")), spoolMaxBytes);
    metrics.gauge("tapedeck_capture_spool_bytes", spool, DiskSpool::bytes);
    metrics.gauge("tapedeck_capture_spool_records", spool, DiskSpool::count);
    this.spooling =
        new SpoolingPublisher(
            producer,
            new KafkaProbe(bootstrap)::reachable,
            spool,
            this::record,
            published,
            failed,
            metrics.counter("tapedeck_capture_spooled_total"),
            metrics.counter("tapedeck_capture_spool_overflow_total"));
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("capture-spool-tick").factory());
    ticks.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
  }

  @Override
  public void accept(CapturedExchange exchange) {
    meters.record(exchange);
    int size = exchange.getSerializedSize();
    if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
      queuedBytes.addAndGet(-size);
      drop(exchange);
      return;
    }
    try {
      publisher.execute(
          () -> {
            try {
              spooling.publish(exchange.getSessionId(), exchange.toByteArray());
            } finally {
              queuedBytes.addAndGet(-size);
            }
          });
    } catch (RejectedExecutionException e) {
      queuedBytes.addAndGet(-size);
      drop(exchange);
    }
  }

  /** Lets the publisher thread publish the spool when no new capture comes to do it. */
  private void tick() {
    if (publisher.getQueue().isEmpty()) {
      try {
        publisher.execute(spooling::tick);
      } catch (RejectedExecutionException e) {
        // busy or shutting down: the next capture or tick does it
      }
    }
  }

  /** Counts every drop; warns at most every ten seconds, so a flood does not flood the log. */
  private void drop(CapturedExchange exchange) {
    dropped.increment();
    long now = System.currentTimeMillis();
    long last = lastDropWarning.get();
    if (now - last >= 10_000 && lastDropWarning.compareAndSet(last, now)) {
      LOG.warnf(
          "Capture queue full (Kafka is slower than the traffic): dropped entry %s of session %s;"
              + " %.0f dropped so far (tapedeck_capture_dropped_total)",
          exchange.getEntryId(), exchange.getSessionId(), dropped.count());
    } else {
      LOG.debugf("Capture queue full: dropped entry %s", exchange.getEntryId());
    }
  }

  private ProducerRecord<String, byte[]> record(String key, byte[] value) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    record.headers().add("content-type", "application/x-protobuf".getBytes());
    record.headers().add("message-type", "tapedeck.capture.v1.CapturedExchange".getBytes());
    return record;
  }

  /** Runs after the listeners closed, so every exchange they answered is published or spooled. */
  void close(@Observes @Priority(ShutdownOrder.CAPTURE) ShutdownEvent event) {
    ticks.shutdownNow();
    publisher.shutdown();
    try {
      publisher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    spool.close();
  }
}
