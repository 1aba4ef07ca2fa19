package dev.tapedeck.proxyservice.capture;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jboss.logging.Logger;

/**
 * The largest capture the exchanges topic accepts: the topic's {@code max.message.bytes} (read
 * from the broker at start and every minute, so a changed topic config is followed), capped by
 * the producer's {@code max.request.size}, less room for the key, the record headers and the
 * batch framing. Until the topic has been described, Kafka's default (1 MiB) is assumed, so no
 * capture is ever sent larger than the broker takes.
 */
final class TopicLimit {
  private static final Logger LOG = Logger.getLogger(TopicLimit.class);

  /** Kafka's default {@code max.message.bytes}, assumed until the topic's own is known. */
  static final int KAFKA_DEFAULT = 1_048_588;

  /** Kept free under the limit for the key, headers, record and batch framing. */
  static final int OVERHEAD = 4096;

  private static final int TIMEOUT_MS = 5000;

  private final String topic;
  private final int producerMax;
  private final Properties config = new Properties();
  private volatile int topicMax = KAFKA_DEFAULT;
  private volatile boolean known;
  private Admin admin;

  TopicLimit(String bootstrap, String topic, int producerMax) {
    this.topic = topic;
    this.producerMax = producerMax;
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tapedeck-proxy-topic-limit");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
  }

  /** The most bytes a serialized capture may have. */
  int captureBudget() {
    return Math.min(topicMax, producerMax) - OVERHEAD;
  }

  /** Whether the topic's own limit has been read. */
  boolean known() {
    return known;
  }

  /** Reads the topic's {@code max.message.bytes}; keeps the last value when Kafka does not answer. */
  void refresh() {
    try {
      if (admin == null) {
        admin = Admin.create(config);
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config described =
          admin.describeConfigs(List.of(resource)).all().get(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS).get(resource);
      ConfigEntry entry = described == null ? null : described.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry == null || entry.value() == null) {
        return;
      }
      int value = Integer.parseInt(entry.value());
      if (value != topicMax || !known) {
        LOG.infof(
            "Topic %s takes records up to %d bytes: captures are kept under %d bytes",
            topic, value, Math.min(value, producerMax) - OVERHEAD);
      }
      topicMax = value;
      known = true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debugf("Cannot read the record limit of topic %s (keeping %d): %s", topic, topicMax, e.toString());
    }
  }

  void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
