package dev.tapedeck.proxyservice;

/**
 * The order of proxy-service's ShutdownEvent observers (lower runs first): the session listeners
 * close, then the capture sink publishes what they captured and stops.
 */
public final class ShutdownOrder {
  /** SessionFollower closes every session listener. */
  public static final int LISTENERS = 1000;

  /** KafkaCaptureSink drains its queue to Kafka (or the spool) and closes. */
  public static final int CAPTURE = 4000;

  private ShutdownOrder() {}
}
