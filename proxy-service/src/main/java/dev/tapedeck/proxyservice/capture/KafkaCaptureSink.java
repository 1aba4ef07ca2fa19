package dev.tapedeck.proxyservice.capture;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
 * {@code tapedeck_capture_dropped_total} and logged, never lost silently.
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
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long maxQueuedBytes;
  private final AtomicLong lastDropWarning = new AtomicLong();

  public KafkaCaptureSink(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "tapedeck.kafka.exchanges-topic") String topic,
      @ConfigProperty(name = "tapedeck.capture.publish-queue") int queueSize,
      @ConfigProperty(name = "tapedeck.capture.publish-queue-bytes") long maxQueuedBytes,
      MeterRegistry metrics) {
    this.maxQueuedBytes = maxQueuedBytes;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tapedeck-proxy");
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
              send(exchange);
            } finally {
              queuedBytes.addAndGet(-size);
            }
          });
    } catch (RejectedExecutionException e) {
      queuedBytes.addAndGet(-size);
      drop(exchange);
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

  private void send(CapturedExchange exchange) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, exchange.getSessionId(), exchange.toByteArray());
    record.headers().add("content-type", "application/x-protobuf".getBytes());
    record.headers().add("message-type", "tapedeck.capture.v1.CapturedExchange".getBytes());
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              published.increment();
            } else {
              failed.increment();
              LOG.errorf(
                  error,
                  "Could not publish entry %s of session %s",
                  exchange.getEntryId(),
                  exchange.getSessionId());
            }
          });
    } catch (RuntimeException e) {
      failed.increment();
      LOG.errorf(e, "Could not publish entry %s", exchange.getEntryId());
    }
  }

  void close(@Observes ShutdownEvent event) {
    publisher.shutdown();
    try {
      publisher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
