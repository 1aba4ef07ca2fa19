package dev.tapedeck.control.session;

import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.Transport;

/**
 * A validated session config with its defaults filled in; what a proxy pod needs to serve the
 * session, and what {@code restart} reuses.
 *
 * @param policies filters, toxics, modifications, network profile and DNS map, validated
 * @param transport HTTPS interception, upstream TLS, upstream proxy and forwarded headers
 * @param playback traffic mode, Map Local and the sequence epoch
 */
public record SessionConfig(
    String name,
    String mode,
    String targetUrl,
    int listenPort,
    String namespace,
    boolean record,
    long captureBodyLimitBytes,
    Policies policies,
    Transport transport,
    String captureOverflow,
    String durability,
    SessionPlayback playback) {
  /** {@code captureOverflow}: hold new requests back while capture publishing lags (default). */
  public static final String BACKPRESSURE = "backpressure";
  /** {@code captureOverflow}: go on, and store what is captured meanwhile as stubs. */
  public static final String DROP = "drop";
  /** {@code durability}: answer at once; the capture is published just after (default). */
  public static final String ASYNC = "async";
  /** {@code durability}: a response's last bytes wait until Kafka has acknowledged its capture. */
  public static final String ACKED = "acked";

  public SessionConfig {
    policies = policies == null ? Policies.NONE : policies;
    transport = transport == null ? Transport.DIRECT : transport;
    captureOverflow = captureOverflow == null ? BACKPRESSURE : captureOverflow;
    durability = durability == null ? ASYNC : durability;
    playback = playback == null ? SessionPlayback.NONE : playback;
  }

  SessionConfig withListenPort(int port) {
    return new SessionConfig(
        name, mode, targetUrl, port, namespace, record, captureBodyLimitBytes, policies, transport, captureOverflow,
        durability, playback);
  }

  SessionConfig withName(String newName) {
    return new SessionConfig(
        newName, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, policies, transport,
        captureOverflow, durability, playback);
  }

  SessionConfig withPolicies(Policies newPolicies) {
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, newPolicies, transport,
        captureOverflow, durability, playback);
  }

  /** Recording on or off; off is traffic mode {@code passthrough}, on ends a passthrough. */
  SessionConfig withRecord(boolean newRecord) {
    SessionPlayback p =
        !newRecord
            ? playback.withTrafficMode("passthrough")
            : playback.trafficMode().equals("passthrough") ? playback.withTrafficMode("record") : playback;
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, newRecord, captureBodyLimitBytes, policies, transport,
        captureOverflow, durability, p);
  }

  /** The traffic mode and Map Local; {@code passthrough} turns recording off, the others on. */
  SessionConfig withPlayback(SessionPlayback newPlayback) {
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, !newPlayback.trafficMode().equals("passthrough"), captureBodyLimitBytes, policies, transport,
        captureOverflow, durability, newPlayback);
  }
}
