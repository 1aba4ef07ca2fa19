package dev.tapedeck.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that are missing and waits until every partition of each has a leader, so that
 * "ready" means producers and consumers can use them at once. Existing topics are left as they are,
 * whatever their partition count.
 */
final class KafkaTopicSetup {
  private KafkaTopicSetup() {}

  /** Ensures {@code topics} exist (new ones with {@code partitions} partitions). */
  static void ensure(Admin admin, List<String> topics, int partitions, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Set<String> existing =
          admin.listTopics().names().get(remaining(deadline), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, partitions, (short) 1).configs(Topics.CONFIGS.getOrDefault(topic, Map.of())));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      alignConfigs(admin, topics, existing, deadline);
      awaitLeaders(admin, topics, deadline);
    } catch (ExecutionException | TimeoutException e) {
      throw new StackStartException("Cannot create the Kafka topics " + topics + ": " + e, e);
    }
  }

  /**
   * Sets the chart's configs on topics an earlier start created (a data folder from before they
   * were set would otherwise keep Kafka's 1 MiB record limit).
   */
  private static void alignConfigs(Admin admin, List<String> topics, Set<String> existing, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
    for (String topic : topics) {
      Map<String, String> configs = Topics.CONFIGS.getOrDefault(topic, Map.of());
      if (existing.contains(topic) && !configs.isEmpty()) {
        changes.put(
            new ConfigResource(ConfigResource.Type.TOPIC, topic),
            configs.entrySet().stream()
                .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                .toList());
      }
    }
    if (!changes.isEmpty()) {
      admin.incrementalAlterConfigs(changes).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
    }
  }

  private static void awaitLeaders(Admin admin, List<String> topics, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(topics)
                .allTopicNames()
                .get(remaining(deadline), TimeUnit.MILLISECONDS);
        boolean allLed =
            descriptions.values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (allLed) {
          return;
        }
      } catch (ExecutionException e) {
        // Metadata not propagated yet (UnknownTopicOrPartition): try again until the deadline.
        if (remaining(deadline) <= 1) {
          throw e;
        }
      }
      if (remaining(deadline) <= 1) {
        throw new TimeoutException("partitions of " + topics + " have no leader yet");
      }
      Thread.sleep(100);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
