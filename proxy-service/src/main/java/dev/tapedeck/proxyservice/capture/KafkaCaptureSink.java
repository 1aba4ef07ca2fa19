package dev.tapedeck.proxyservice.capture;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.ShutdownOrder;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes captured exchanges to {@code tapedeck.exchanges.v1}, keyed by session id so a
 * session's entries keep their order in one partition. Nothing it is given is dropped:
 *
 * <ol>
 *   <li>every capture is cut to the topic's record limit first ({@link TopicLimit}, {@link
 *       RecordFit}), so Kafka never refuses one for its size;
 *   <li>sends run on one publisher thread, so the event loop never waits on Kafka; while Kafka is
 *       unavailable captures wait in order in a disk spool ({@link SpoolingPublisher});
 *   <li>when the queue in memory or the spool nears its bound the sink says it is {@linkplain
 *       #congested() congested}, and the listeners of back-pressured sessions stop taking new
 *       requests until it has caught up: the traffic slows to what Kafka takes instead of
 *       captures being lost. Sessions with {@code captureOverflow: "drop"} go on, and what they
 *       capture meanwhile is stored as stubs.
 * </ol>
 */
@ApplicationScoped
@Startup // at boot, not at the first capture: a spool left by an earlier run drains at once
public class KafkaCaptureSink implements CaptureSink {
  private static final Logger LOG = Logger.getLogger(KafkaCaptureSink.class);
  private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  private final String topic;
  private final ThreadPoolExecutor publisher;
  private final ExchangeMeters meters;
  private final DiskSpool spool;
  private final SpoolingPublisher spooling;
  private final TopicLimit limit;
  private final ScheduledExecutorService ticks;
  private final ScheduledExecutorService limitReader;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long highWaterBytes;
  private final int highWaterCount;
  private final long spoolHighWater;
  private final boolean packBodies;
  private final Counter trimmed;
  private final Counter lostOnShutdown;
  private final Counter dropped;
  private final ProducerMeters producerMeters;
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private volatile boolean congested;
  private long congestedSince;
  private long congestedNanos;

  public KafkaCaptureSink(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "tapedeck.kafka.exchanges-topic") String topic,
      @ConfigProperty(name = "tapedeck.capture.publish-queue") int queueSize,
      @ConfigProperty(name = "tapedeck.capture.publish-queue-bytes") long maxQueuedBytes,
      @ConfigProperty(name = "tapedeck.capture.delivery-timeout") Duration deliveryTimeout,
      @ConfigProperty(name = "tapedeck.capture.producer-buffer-bytes") long producerBufferBytes,
      @ConfigProperty(name = "tapedeck.capture.compression") String compression,
      @ConfigProperty(name = "tapedeck.capture.batch-bytes") int batchBytes,
      @ConfigProperty(name = "tapedeck.capture.linger") Duration linger,
      @ConfigProperty(name = "tapedeck.capture.send-buffer-bytes") int sendBufferBytes,
      @ConfigProperty(name = "tapedeck.capture.pack-bodies") boolean packBodies,
      @ConfigProperty(name = "tapedeck.capture.spool-dir") Path spoolDir,
      @ConfigProperty(name = "tapedeck.capture.spool-max-bytes") long spoolMaxBytes,
      @ConfigProperty(name = "tapedeck.proxy.id") Optional<String> proxyId,
      MeterRegistry metrics) {
    this.highWaterBytes = maxQueuedBytes;
    this.highWaterCount = queueSize;
    this.spoolHighWater = spoolMaxBytes * 8 / 10;
    this.packBodies = packBodies;
    this.topic = topic;
    this.limit = new TopicLimit(bootstrap, topic, MAX_REQUEST_BYTES);
    this.publisher =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("capture-publisher").factory());
    this.meters = new ExchangeMeters(metrics);
    this.trimmed = metrics.counter("tapedeck_capture_trimmed_total");
    this.lostOnShutdown = metrics.counter("tapedeck_capture_lost_total");
    this.dropped = metrics.counter("tapedeck_capture_dropped_total");
    metrics.gauge("tapedeck_capture_queue_size", publisher, p -> p.getQueue().size());
    metrics.gauge("tapedeck_capture_queue_bytes", queuedBytes);
    metrics.gauge("tapedeck_capture_record_budget_bytes", limit, l -> l.captureBudget());
    metrics.gauge("tapedeck_capture_backpressure_active", this, s -> s.congested ? 1 : 0);
    FunctionCounter.builder("tapedeck_capture_backpressure_seconds_total", this, KafkaCaptureSink::backpressureSeconds)
        .description("Time the proxy held back new requests of back-pressured sessions because capture publishing lagged")
        .register(metrics);
    this.spool = new DiskSpool(spoolDir.resolve(proxyId.filter(id -> !id.isBlank()).orElse("default")), spoolMaxBytes);
    metrics.gauge("tapedeck_capture_spool_bytes", spool, DiskSpool::bytes);
    metrics.gauge("tapedeck_capture_spool_records", spool, DiskSpool::count);
    Properties props =
        producerConfig(bootstrap, deliveryTimeout, producerBufferBytes, new Batching(compression, batchBytes, linger, sendBufferBytes));
    this.producerMeters = new ProducerMeters(metrics);
    this.spooling =
        new SpoolingPublisher(
            () -> producerMeters.export(new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())),
            new KafkaProbe(bootstrap)::reachable,
            spool,
            this::record,
            KafkaCaptureSink::stub,
            new SpoolingPublisher.Counters(
                metrics.counter("tapedeck_capture_published_total"),
                metrics.counter("tapedeck_capture_publish_failed_total"),
                metrics.counter("tapedeck_capture_spooled_total"),
                metrics.counter("tapedeck_capture_spool_overflow_total"),
                metrics.counter("tapedeck_capture_stubbed_total"),
                metrics.counter("tapedeck_capture_producer_renewed_total"),
                acknowledgedTimer(metrics)));
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("capture-spool-tick").factory());
    ticks.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    this.limitReader =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("capture-topic-limit").factory());
    limitReader.scheduleWithFixedDelay(limit::refresh, 0, 60, TimeUnit.SECONDS);
  }

  /**
   * How long captures sent straight to Kafka took from entering the publish queue to Kafka's
   * acknowledgement: the wait behind other captures, packing, the producer's batching and the
   * broker's write. Buckets from 5 ms to 30 s (the delivery timeout's default), for quantiles in
   * PromQL; captures that went through the spool are not timed.
   */
  static Timer acknowledgedTimer(MeterRegistry metrics) {
    return Timer.builder("tapedeck_capture_acknowledged")
        .description("Time from a capture entering the publish queue until Kafka acknowledged it")
        .serviceLevelObjectives(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30))
        .register(metrics);
  }

  /**
   * How captures are grouped on their way to Kafka: a codec for each batch (snappy by default, see
   * {@code tapedeck.capture.compression}), the most bytes in one batch of a partition, how long the
   * producer waits for a batch to fill, and its socket's send buffer (-1: the system's default).
   */
  record Batching(String compression, int batchBytes, Duration linger, int sendBufferBytes) {
    Batching {
      if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
        throw new IllegalArgumentException(
            "tapedeck.capture.compression must be none, gzip, snappy, lz4 or zstd, not " + compression);
      }
      probe(compression);
      if (batchBytes < 1024 || batchBytes > MAX_REQUEST_BYTES) {
        throw new IllegalArgumentException("tapedeck.capture.batch-bytes must be 1024 to " + MAX_REQUEST_BYTES);
      }
      if (sendBufferBytes < -1) {
        throw new IllegalArgumentException("tapedeck.capture.send-buffer-bytes must be -1 (the system's default) or more");
      }
      if (linger.isNegative()) {
        throw new IllegalArgumentException("tapedeck.capture.linger must be 0 or more, not " + linger);
      }
    }

    /**
     * Compresses a few bytes the way the producer will, so that a codec whose native library does
     * not load on this machine (snappy, zstd) stops the start with a clear message instead of
     * failing every capture.
     */
    private static void probe(String codec) {
      try (OutputStream out =
          Compression.of(codec).build().wrapForOutput(new ByteBufferOutputStream(256), RecordBatch.CURRENT_MAGIC_VALUE)) {
        out.write(new byte[256]);
      } catch (IOException | RuntimeException | LinkageError e) {
        throw new IllegalStateException(
            "tapedeck.capture.compression=" + codec + " does not work on this machine (" + e
                + "); choose another codec: lz4 and gzip run in pure Java",
            e);
      }
    }

    /**
     * The batch size the producer gets with {@code bufferBytes} of memory: at most a quarter of it
     * (at least 1 KiB), since the producer cannot allocate a batch larger than its whole buffer and
     * would then refuse every capture.
     */
    int batchBytesWithin(long bufferBytes) {
      return (int) Math.min(batchBytes, Math.max(1024, bufferBytes / 4));
    }
  }

  /**
   * How long the producer waits for the broker to answer one request: up to 30 s, within what the
   * delivery timeout leaves after the linger (Kafka refuses a delivery timeout under linger plus
   * request timeout). A delivery timeout that leaves under a second stops the start with a message
   * naming both settings.
   */
  static int requestTimeoutMillis(Duration deliveryTimeout, Duration linger) {
    long left = deliveryTimeout.toMillis() - linger.toMillis() - 10;
    if (left < 1000) {
      throw new IllegalArgumentException(
          "tapedeck.capture.delivery-timeout ("
              + deliveryTimeout
              + ") must be at least a second longer than tapedeck.capture.linger ("
              + linger
              + ")");
    }
    return (int) Math.min(30_000, left);
  }

  private static Properties producerConfig(
      String bootstrap, Duration deliveryTimeout, long bufferBytes, Batching batching) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, (int) batching.linger().toMillis());
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, batching.batchBytesWithin(bufferBytes));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, batching.compression());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tapedeck-proxy");
    // Give up on a record after deliveryTimeout (it goes to the spool), and never block the
    // publisher thread long on missing metadata while Kafka is down.
    int delivery = (int) deliveryTimeout.toMillis();
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMillis(deliveryTimeout, batching.linger()));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(2000, delivery));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes);
    // A produce request (one batch per partition) is written whole rather than a socket buffer's
    // worth at a time, each part waiting for the broker's network thread on a busy machine.
    props.put(ProducerConfig.SEND_BUFFER_CONFIG, batching.sendBufferBytes());
    return props;
  }

  @Override
  public void accept(CapturedExchange exchange) {
    submit(exchange, null);
  }

  @Override
  public CompletionStage<Void> acceptDurably(CapturedExchange exchange) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    submit(exchange, durable);
    return durable;
  }

  @Override
  public boolean congested() {
    return congested;
  }

  @Override
  public void whenRelieved(Runnable then) {
    waiting.add(then);
    if (!congested) {
      relieve();
    }
  }

  @Override
  public int captureBudget() {
    return limit.captureBudget();
  }

  private void submit(CapturedExchange exchange, CompletableFuture<Void> durable) {
    CapturedExchange fitted = RecordFit.fit(exchange, limit.captureBudget());
    if (fitted != exchange) {
      trimmed.increment();
    }
    if (fitted.getLoss().getKind().equals(RecordFit.STUB)) {
      dropped.increment(); // captureOverflow "drop" under load: only the stub comes here
    }
    Publish task = new Publish(fitted, durable);
    queuedBytes.addAndGet(task.size);
    try {
      publisher.execute(task);
    } catch (RejectedExecutionException e) {
      // Shutting down: the spool keeps it for the next start.
      queuedBytes.addAndGet(-task.size);
      task.spoolOnShutdown();
    }
    updateCongestion();
  }

  /**
   * One capture on its way to Kafka. Its meters are counted and its large bodies packed ({@link
   * PackedBodies}) here, on the publisher thread, not on the event loop that captured it.
   */
  private final class Publish implements Runnable {
    final CapturedExchange exchange;
    final CompletableFuture<Void> durable;
    final int size;
    final long queuedNanos = System.nanoTime();

    Publish(CapturedExchange exchange, CompletableFuture<Void> durable) {
      this.exchange = exchange;
      this.durable = durable;
      this.size = exchange.getSerializedSize();
    }

    @Override
    public void run() {
      meters.record(exchange);
      try {
        spooling.publish(exchange.getSessionId(), bytes(), durable, queuedNanos);
      } finally {
        queuedBytes.addAndGet(-size);
        updateCongestion();
      }
    }

    /** The capture as Kafka gets it: its large bodies packed unless that is switched off. */
    private byte[] bytes() {
      return packBodies ? PackedBodies.serialize(exchange) : exchange.toByteArray();
    }

    void spoolOnShutdown() {
      meters.record(exchange);
      if (spool.append(exchange.getSessionId(), bytes())) {
        if (durable != null) {
          durable.complete(null);
        }
      } else {
        lostOnShutdown.increment();
        LOG.errorf("Capture %s of session %s lost at shutdown: the spool is full", exchange.getEntryId(), exchange.getSessionId());
      }
    }
  }

  /**
   * Congested above the queue's bounds (bytes or count) or 80% of the spool; relieved below three
   * quarters of the queue's bounds and 60% of the spool: a narrow band, so a held request waits
   * for a quarter of the queue to drain, not half of it.
   */
  private void updateCongestion() {
    long bytes = queuedBytes.get();
    int count = publisher.getQueue().size();
    long spooled = spool.bytes();
    if (!congested && (bytes > highWaterBytes || count > highWaterCount || spooled > spoolHighWater)) {
      synchronized (this) {
        if (!congested) {
          congested = true;
          congestedSince = System.nanoTime();
          LOG.debugf("Capture publishing lags (queue %d bytes, %d captures; spool %d bytes): back-pressure on", bytes, count, spooled);
        }
      }
    } else if (congested
        && bytes < highWaterBytes * 3 / 4
        && count < highWaterCount * 3 / 4
        && spooled < spoolHighWater * 3 / 4) {
      synchronized (this) {
        if (congested) {
          congested = false;
          congestedNanos += System.nanoTime() - congestedSince;
        }
      }
      relieve();
    }
  }

  private void relieve() {
    Runnable next;
    while (!congested && (next = waiting.poll()) != null) {
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.warnf(e, "A request held back by capture back-pressure could not resume");
      }
    }
  }

  private synchronized double backpressureSeconds() {
    long total = congestedNanos + (congested ? System.nanoTime() - congestedSince : 0);
    return total / 1e9;
  }

  /** Lets the publisher thread publish the spool when no new capture comes to do it. */
  private void tick() {
    updateCongestion();
    if (publisher.getQueue().isEmpty()) {
      try {
        publisher.execute(spooling::tick);
      } catch (RejectedExecutionException e) {
        // shutting down: nothing more to publish
      }
    }
  }

  /** The stub of a serialized capture Kafka refused for good; null if the bytes are no capture. */
  private static byte[] stub(byte[] value, String reason) {
    try {
      return RecordFit.stub(CapturedExchange.parseFrom(value), reason).toByteArray();
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private ProducerRecord<String, byte[]> record(String key, byte[] value) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    record.headers().add("content-type", "application/x-protobuf".getBytes());
    record.headers().add("message-type", "tapedeck.capture.v1.CapturedExchange".getBytes());
    return record;
  }

  /**
   * Runs after the listeners closed: what is queued is published (or spooled, when Kafka does not
   * take it within a few seconds), so every exchange they answered is kept.
   */
  void close(@Observes @Priority(ShutdownOrder.CAPTURE) ShutdownEvent event) {
    ticks.shutdownNow();
    limitReader.shutdownNow();
    publisher.shutdown();
    try {
      publisher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Runnable> left = publisher.shutdownNow();
    for (Runnable task : left) {
      if (task instanceof Publish publish) {
        publish.spoolOnShutdown();
      }
    }
    if (!left.isEmpty()) {
      LOG.infof("%d captures not yet published at shutdown are in the spool for the next start", left.size());
    }
    Producer<String, byte[]> producer = spooling.producer();
    producer.close(Duration.ofSeconds(5));
    producerMeters.close();
    limit.close();
    spool.close();
  }
}
