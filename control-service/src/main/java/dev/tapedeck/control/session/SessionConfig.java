package dev.tapedeck.control.session;

import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.Transport;

/**
 * A validated session config with its defaults filled in; what a proxy pod needs to serve the
 * session, and what {@code restart} reuses.
 *
 * @param policies filters, toxics, modifications, network profile and DNS map, validated
 * @param transport HTTPS interception, upstream TLS, upstream proxy and forwarded headers
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
    String durability) {
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
  }

  SessionConfig withListenPort(int port) {
    return new SessionConfig(
        name, mode, targetUrl, port, namespace, record, captureBodyLimitBytes, policies, transport, captureOverflow,
        durability);
  }

  SessionConfig withName(String newName) {
    return new SessionConfig(
        newName, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, policies, transport,
        captureOverflow, durability);
  }

  SessionConfig withPolicies(Policies newPolicies) {
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, newPolicies, transport,
        captureOverflow, durability);
  }

  SessionConfig withRecord(boolean newRecord) {
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, newRecord, captureBodyLimitBytes, policies, transport,
        captureOverflow, durability);
  }
}
