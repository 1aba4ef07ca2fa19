package dev.tapedeck.storage.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Read-your-writes for a session: waits until the ingestion group has dealt with every record that
 * was in the session's partition of the exchanges topic when the wait began.
 *
 * <p>Proxies key each capture by its session id, so all of a session's captures go to the one
 * partition Kafka's default partitioner picks for that key. The wait takes that partition's end
 * offset once, then reads the group's committed offset until it reaches the end. The ingestion loop
 * commits a batch only once it is stored (or dead-lettered), so a committed offset means "in
 * MongoDB". Committed offsets live in Kafka, so any storage replica can answer for a partition
 * another replica consumes.
 */
public final class IngestionBarrier {

  /** How often the committed offset is read again while waiting. */
  static final Duration RECHECK = Duration.ofMillis(50);

  /** How long one question to Kafka may take before the wait reports Kafka unreachable. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final String topic;
  private final String group;

  /** Waits on {@code topic} for consumer group {@code group}, asking through {@code admin}. */
  public IngestionBarrier(Admin admin, String topic, String group) {
    this.admin = admin;
    this.topic = topic;
    this.group = group;
  }

  /** Where ingestion stood when a wait ended. */
  public record Progress(boolean caughtUp, long pendingRecords) {}

  /** Kafka did not answer a question of the wait in time, or failed it. */
  public static final class KafkaUnavailable extends RuntimeException {
    KafkaUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Waits up to {@code timeout} for the records in {@code sessionId}'s partition to be dealt with;
   * a zero timeout asks once.
   *
   * @throws KafkaUnavailable when Kafka cannot be asked
   */
  public Progress await(String sessionId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Integer partitions = partitionCount();
    if (partitions == null) {
      // No capture was ever published: nothing to wait for.
      return new Progress(true, 0);
    }
    TopicPartition partition = new TopicPartition(topic, partitionOf(sessionId, partitions));
    long end = endOffset(partition);
    while (true) {
      long pending = Math.max(0, end - committedOffset(partition));
      if (pending == 0) {
        return new Progress(true, 0);
      }
      if (System.nanoTime() - deadline >= 0) {
        return new Progress(false, pending);
      }
      Thread.sleep(RECHECK);
    }
  }

  /** The partition Kafka's default partitioner gives a record keyed by {@code sessionId}. */
  static int partitionOf(String sessionId, int partitions) {
    return BuiltInPartitioner.partitionForKey(sessionId.getBytes(StandardCharsets.UTF_8), partitions);
  }

  /** The topic's partition count; null when the topic does not exist yet. */
  private Integer partitionCount() throws InterruptedException {
    try {
      TopicDescription description =
          ask(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
      return description.partitions().size();
    } catch (KafkaUnavailable e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private long endOffset(TopicPartition partition) throws InterruptedException {
    return ask(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition))
        .offset();
  }

  /** The group's next offset to ingest in {@code partition}; 0 before its first commit there. */
  private long committedOffset(TopicPartition partition) throws InterruptedException {
    // Only this partition's offset: the group commits one per partition of the topic.
    ListConsumerGroupOffsetsSpec only =
        new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(partition));
    Map<TopicPartition, OffsetAndMetadata> committed =
        ask(admin.listConsumerGroupOffsets(Map.of(group, only)).partitionsToOffsetAndMetadata(group));
    OffsetAndMetadata offset = committed.get(partition);
    return offset == null ? 0 : offset.offset();
  }

  private static <T> T ask(KafkaFuture<T> answer)
      throws InterruptedException {
    try {
      return answer.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaUnavailable("Kafka failed the question: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw new KafkaUnavailable("Kafka did not answer within " + ASK_TIMEOUT.toSeconds() + " s", e);
    }
  }
}
