package dev.tapedeck.control.session;

/**
 * A validated session config with its defaults filled in; what a proxy pod needs to serve the
 * session, and what {@code restart} reuses.
 */
public record SessionConfig(
    String name,
    String mode,
    String targetUrl,
    int listenPort,
    String namespace,
    boolean record,
    long captureBodyLimitBytes) {

  SessionConfig withListenPort(int port) {
    return new SessionConfig(name, mode, targetUrl, port, namespace, record, captureBodyLimitBytes);
  }

  SessionConfig withName(String newName) {
    return new SessionConfig(
        newName, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes);
  }
}
