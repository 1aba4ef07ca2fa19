package dev.tapedeck.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The {@code tapedeck.*} settings of storage-service. */
@ConfigMapping(prefix = "tapedeck")
public interface StorageConfig {

  /** Topics and consumer group. */
  Kafka kafka();

  /** Limits of the entry store. */
  Storage storage();

  /**
   * The internal gRPC token. Read by {@code dev.tapedeck.internalauth.InternalToken} (module
   * internal-auth); declared here so that this mapping, which owns the {@code tapedeck} prefix,
   * knows the names.
   */
  Internal internal();

  /** {@code tapedeck.internal.token} and {@code tapedeck.internal.auth.enabled}. */
  interface Internal {
    /** The token every gRPC call must carry. */
    Optional<String> token();

    /** The check on every gRPC call. */
    Auth auth();

    /** {@code tapedeck.internal.auth.*}. */
    interface Auth {
      /** False switches the check off on purpose. */
      @WithDefault("true")
      boolean enabled();
    }
  }

  /** Kafka topics and the consumer group of the ingestion loop. */
  interface Kafka {
    /** Topic the proxies publish {@code CapturedExchange} records to. */
    String exchangesTopic();

    /** Topic undecodable records are moved to. */
    String deadLetterTopic();

    /** Topic {@code EntryEvent} records are published to. */
    String entryEventsTopic();

    /** Consumer group of the ingestion loop. */
    String consumerGroup();

    /** How long one poll waits for records. */
    @WithDefault("1s")
    Duration pollTimeout();
  }

  /** Limits of the entry store. */
  interface Storage {
    /** Entries kept per session; the oldest are evicted beyond it. */
    @WithDefault("1000")
    int maxEntriesPerSession();

    /** Bodies with more captured bytes than this are kept in GridFS, not in the entry document. */
    @WithDefault("262144")
    int bodyOffloadBytes();

    /** First wait after a failed batch or an unreachable Kafka/MongoDB; doubles up to the max. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest wait between retries. */
    @WithDefault("30s")
    Duration retryBackoffMax();
  }
}
