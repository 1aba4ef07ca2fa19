package dev.tapedeck.devstack;

import java.util.List;

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

  private Topics() {}
}
