package dev.tapedeck.devstack;

import java.util.List;
import java.util.Map;

/** The Kafka topics Tapedeck uses; the dev stack creates them on start. */
public final class Topics {
  /** Captured request/response exchanges, keyed by session. */
  public static final String EXCHANGES = "tapedeck.exchanges.v1";

  /** Exchanges the storage service could not store. */
  public static final String EXCHANGES_DLQ = "tapedeck.exchanges.v1.dlq";

  /** Entry lifecycle events (stored, deleted) for watchers. */
  public static final String ENTRY_EVENTS = "tapedeck.entry-events.v1";

  /** All of them, in creation order. */
  public static final List<String> ALL = List.of(EXCHANGES, EXCHANGES_DLQ, ENTRY_EVENTS);

  /**
   * The largest record the exchanges topics take: a capture carries up to two 1 MiB bodies plus
   * heads, and the proxy cuts every capture under the topic's limit. The same value as the Helm
   * chart's topics (helm/tapedeck/values.yaml; a test keeps them equal).
   */
  public static final String MAX_MESSAGE_BYTES = "8388608";

  /** Topic configs the dev stack sets, on creation and on every start, as the chart does. */
  public static final Map<String, Map<String, String>> CONFIGS =
      Map.of(
          EXCHANGES, Map.of("max.message.bytes", MAX_MESSAGE_BYTES),
          EXCHANGES_DLQ, Map.of("max.message.bytes", MAX_MESSAGE_BYTES));

  private Topics() {}
}
