package dev.tapedeck.control.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.entries.EntryQueries;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.devstack.KafkaBroker;
import dev.tapedeck.devstack.LoopbackPorts;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.proto.capture.v1.EntrySummary;
import dev.tapedeck.proto.capture.v1.EntryType;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed against a real broker: what a subscriber receives when it arrives while the feed
 * idles with nobody watching, which is how every browser tab starts.
 */
class EntryEventFeedTest {
  private static final String TOPIC = "tapedeck.entry-events.v1";

  @TempDir static Path dataDir;
  private static KafkaBroker broker;
  private static KafkaProducer<String, byte[]> producer;
  private static LiveSubscribers subscribers;
  private static EntryEventFeed feed;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start(dataDir, LoopbackPorts.free());
    broker.createTopics(List.of(TOPIC), 3);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(),
            new ByteArraySerializer());
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    subscribers = new LiveSubscribers(100, metrics);
    feed = new EntryEventFeed(broker.bootstrapServers(), TOPIC, subscribers, new AbsentStorage(), new ObjectMapper(), metrics);
    feed.start(null);
    // Until the feed follows the topic, a subscriber's events may predate it: wait for one.
    Collector first = new Collector();
    Runnable unsubscribeFirst = subscribers.subscribe("warm-up", first);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (first.messages.poll(200, TimeUnit.MILLISECONDS) == null) {
      assertThat(System.nanoTime()).as("the feed follows the topic within 60 s").isLessThan(deadline);
      evict("warm-up", "e0");
    }
    unsubscribeFirst.run();
  }

  @AfterAll
  static void stop() {
    if (feed != null) {
      feed.stop(null);
    }
    if (producer != null) {
      producer.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * Storage as the feed sees it while it is away or once an entry is gone: entry ids starting
   * {@code gone} are not found, every other lookup finds storage unavailable.
   */
  private static final class AbsentStorage extends EntryQueries {
    @Override
    public EntryView one(String sessionId, String entryId) {
      throw (entryId.startsWith("gone") ? Status.NOT_FOUND : Status.UNAVAILABLE).asRuntimeException();
    }
  }

  /** A subscriber that takes every message at once. */
  private static final class Collector extends LiveSubscribers.Subscriber {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

    @Override
    protected boolean ready() {
      return true;
    }

    @Override
    protected void deliver(String message) {
      messages.add(message);
    }

    @Override
    protected void drop(int capacity) {}
  }

  @Test
  void anEventRightAfterASubscriptionReachesItWhileTheFeedHadBeenIdle() throws Exception {
    // Each round: nobody watches for long enough that the feed idles, then a subscriber arrives
    // and its session's event is published at once, as a browser tab's first request would be.
    for (int round = 0; round < 20; round++) {
      Thread.sleep(350);
      String session = "session-" + round;
      Collector tab = new Collector();
      Runnable unsubscribe = subscribers.subscribe(session, tab);
      evict(session, "entry-" + round);
      String message = tab.messages.poll(5, TimeUnit.SECONDS);
      unsubscribe.run();
      assertThat(message).as("round %d: the event published right after subscribing", round)
          .isNotNull()
          .contains("entry-" + round);
    }
  }

  @Test
  void aSubscriberWhoCameBeforeTheFeedReachedTheBrokerGetsWhatWasStoredMeanwhile() throws Exception {
    // A control process that just started: a tab reconnects before its feed has reached the broker.
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    LiveSubscribers early = new LiveSubscribers(100, metrics);
    Collector tab = new Collector();
    early.subscribe("early-session", tab);
    EntryEventFeed starting =
        new EntryEventFeed(broker.bootstrapServers(), TOPIC, early, new AbsentStorage(), new ObjectMapper(), metrics);
    starting.start(null);
    try {
      evict("early-session", "entry-early");
      String message = tab.messages.poll(30, TimeUnit.SECONDS);
      assertThat(message).as("the event published as the feed started").isNotNull().contains("entry-early");
    } finally {
      starting.stop(null);
    }
  }

  @Test
  void aStoredEntryStorageCannotBeAskedAboutShowsFromItsEventAndAGoneOneNotAtAll() throws Exception {
    Collector tab = new Collector();
    Runnable unsubscribe = subscribers.subscribe("stored-session", tab);
    try {
      stored("stored-session", "gone-1", 1);
      stored("stored-session", "entry-2", 2);
      String message = tab.messages.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("the first message").isNotNull();
      JsonNode entry = new ObjectMapper().readTree(message).get("entry");
      assertThat(entry.get("id").asText()).isEqualTo("entry-2");
      assertThat(entry.get("sequence").asLong()).isEqualTo(2);
      assertThat(entry.get("entryType").asText()).isEqualTo("http");
      assertThat(entry.get("startedAt").asText()).isEqualTo("2026-12-06T03:00:00Z");
      assertThat(entry.at("/request/method").asText()).isEqualTo("POST");
      assertThat(entry.at("/request/url").asText()).isEqualTo("http://upstream.test/echo?n=2");
      assertThat(entry.at("/request/bodySize").isMissingNode()).as("a size it does not know").isTrue();
      assertThat(entry.at("/response/statusCode").asInt()).isEqualTo(201);
      assertThat(entry.get("durationMs").asDouble()).isEqualTo(12.5);
    } finally {
      unsubscribe.run();
    }
  }

  private static void stored(String sessionId, String entryId, long sequence) throws Exception {
    publish(
        EntryEvent.newBuilder()
            .setKind(EntryEvent.Kind.STORED)
            .setSessionId(sessionId)
            .setEntryId(entryId)
            .setSequence(sequence)
            .setSummary(
                EntrySummary.newBuilder()
                    .setEntryType(EntryType.HTTP)
                    .setMethod("POST")
                    .setUrl("http://upstream.test/echo?n=" + sequence)
                    .setStatusCode(201)
                    .setDurationMs(12.5)
                    .setStartedAtUnixMicros(Instant.parse("2026-12-06T03:00:00Z").toEpochMilli() * 1000))
            .build());
  }

  private static void evict(String sessionId, String entryId) throws Exception {
    publish(
        EntryEvent.newBuilder()
            .setKind(EntryEvent.Kind.EVICTED)
            .setSessionId(sessionId)
            .setEntryId(entryId)
            .build());
  }

  private static void publish(EntryEvent event) throws Exception {
    producer.send(new ProducerRecord<>(TOPIC, event.getSessionId(), event.toByteArray())).get();
  }
}
