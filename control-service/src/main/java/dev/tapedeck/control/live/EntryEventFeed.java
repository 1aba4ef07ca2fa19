package dev.tapedeck.control.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tapedeck.control.entries.EntryQueries;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows {@code tapedeck.entry-events.v1} and turns the events of sessions someone watches into
 * live messages. Every control process reads every partition from its end (no consumer group):
 * a live stream shows what happens from now on, and each process serves its own subscribers.
 *
 * <p>While nobody on this process watches any session, it fetches nothing: its partitions are
 * paused, and every {@link #IDLE_TICK} it asks the broker where they end and, if still nobody
 * watches, moves its positions there. When someone subscribes, it reads on from those positions,
 * which were known before the subscription, so no event after it is missed (an event up to one
 * tick older may be delivered, as any consumer lag would). Each event read is counted in {@code
 * tapedeck_live_events_read_total}. (Reading every event for nobody cost about a tenth of the
 * ingestion path's CPU in the storage benchmark.)
 *
 * <p>The positions outlive a lost connection: after the broker comes back, the feed reads on from
 * where it was, so a subscriber who arrived meanwhile misses nothing published after it came. A
 * subscriber who came before the feed first reached the broker is served from shortly before the
 * feed was made ({@link #firstPositions}).
 */
@ApplicationScoped
public class EntryEventFeed {
  private static final Logger LOG = Logger.getLogger(EntryEventFeed.class);
  private static final Duration IDLE_TICK = Duration.ofMillis(100);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);
  /** How far before its start the feed reads for subscribers who came first (clocks differ). */
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private final String bootstrap;
  private final String topic;
  private final LiveSubscribers subscribers;
  private final EntryQueries entries;
  private final LiveMessages messages;
  private final Counter read;
  private final long createdAtMillis = System.currentTimeMillis();
  /** The next offset to read in each partition; only the feed's thread touches it. */
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public EntryEventFeed(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "tapedeck.kafka.entry-events-topic") String topic,
      LiveSubscribers subscribers,
      EntryQueries entries,
      ObjectMapper json,
      MeterRegistry metrics) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.subscribers = subscribers;
    this.entries = entries;
    this.messages = new LiveMessages(json);
    this.read =
        Counter.builder("tapedeck_live_events_read")
            .description("Entry events this control process read for its live streams")
            .register(metrics);
  }

  void start(@Observes StartupEvent event) {
    thread = Thread.ofPlatform().daemon().name("entry-event-feed").start(this::run);
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private void run() {
    long backoffMs = 200;
    while (running) {
      try (KafkaConsumer<String, byte[]> c = connect()) {
        consumer = c;
        backoffMs = 200;
        follow(c);
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        LOG.debugf("Entry event feed interrupted, retrying: %s", e.getMessage());
        sleep(backoffMs);
        backoffMs = Math.min(5_000, backoffMs * 2);
      }
    }
  }

  /** Reads while someone watches; idles with its partitions paused while nobody does. */
  private void follow(KafkaConsumer<String, byte[]> c) {
    Set<TopicPartition> partitions = c.assignment();
    boolean paused = false;
    while (running) {
      if (paused) {
        // Where the topic ends now, asked before looking for subscribers. If nobody watches
        // after that, whoever subscribes later needs nothing before these ends, so reading
        // may skip to them; if someone does, they may have subscribed before these ends were
        // taken, so reading goes on from the previous tick's instead.
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, BROKER_TIMEOUT);
        if (!subscribers.anyone()) {
          ends.forEach(c::seek);
          next.putAll(ends);
          c.poll(IDLE_TICK);
          continue;
        }
        c.resume(partitions);
        paused = false;
      } else if (!subscribers.anyone()) {
        c.pause(partitions);
        paused = true;
        continue;
      }
      ConsumerRecords<String, byte[]> records = c.poll(POLL);
      read.increment(records.count());
      for (TopicPartition partition : records.partitions()) {
        List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
        next.put(partition, batch.get(batch.size() - 1).offset() + 1);
      }
      for (ConsumerRecord<String, byte[]> record : records) {
        // Keyed by session: an event of a session nobody watches is not even decoded.
        if (record.key() == null || subscribers.hasSubscribers(record.key())) {
          dispatch(record.value());
        }
      }
    }
  }

  private KafkaConsumer<String, byte[]> connect() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tapedeck-control-live");
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("Topic " + topic + " has no partitions yet");
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(assigned);
      // Where a previous connection left off; for a partition never read, see firstPositions.
      List<TopicPartition> unread = assigned.stream().filter(p -> !next.containsKey(p)).toList();
      if (!unread.isEmpty()) {
        next.putAll(firstPositions(c, unread));
      }
      assigned.forEach(p -> c.seek(p, next.get(p)));
      LOG.infof("Following %s (%d partitions) for live streams", topic, assigned.size());
      return c;
    } catch (RuntimeException e) {
      c.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Where reading starts in partitions never read: their ends, asked before looking for
   * subscribers (as an idle tick does); or, if someone subscribed before the feed first reached
   * the broker (a browser tab reconnecting to a control that just started), the first events
   * stamped after {@link #CATCH_UP} before this feed was made, so that subscriber misses nothing.
   */
  private Map<TopicPartition, Long> firstPositions(KafkaConsumer<String, byte[]> c, List<TopicPartition> unread) {
    Map<TopicPartition, Long> ends = c.endOffsets(unread, BROKER_TIMEOUT);
    if (!subscribers.anyone()) {
      return ends;
    }
    Map<TopicPartition, Long> since = new HashMap<>();
    unread.forEach(p -> since.put(p, createdAtMillis - CATCH_UP.toMillis()));
    Map<TopicPartition, Long> positions = new HashMap<>(ends);
    c.offsetsForTimes(since, BROKER_TIMEOUT)
        .forEach((p, found) -> {
          if (found != null) {
            positions.put(p, found.offset());
          }
        });
    return positions;
  }

  private void dispatch(byte[] value) {
    EntryEvent event;
    try {
      event = EntryEvent.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("Skipping an entry event that does not decode");
      return;
    }
    String sessionId = event.getSessionId();
    if (!subscribers.hasSubscribers(sessionId)) {
      return;
    }
    switch (event.getKind()) {
      case STORED -> {
        String message;
        try {
          message = messages.stored(entries.one(sessionId, event.getEntryId()));
        } catch (RuntimeException e) {
          if (Status.fromThrowable(e).getCode() == Status.Code.NOT_FOUND) {
            // Evicted or deleted before we asked: its own event follows.
            LOG.debugf("Entry %s no longer readable: %s", event.getEntryId(), e.getMessage());
            return;
          }
          // Storage did not answer (restarting, say): the row still shows, from the event.
          LOG.debugf("Entry %s shown from its event: %s", event.getEntryId(), e.getMessage());
          message = messages.stored(event);
        }
        subscribers.publish(sessionId, message);
      }
      case EVICTED -> subscribers.publish(sessionId, messages.evicted(event.getEntryId()));
      default -> {}
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
