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
    Transport transport) {

  public SessionConfig {
    policies = policies == null ? Policies.NONE : policies;
    transport = transport == null ? Transport.DIRECT : transport;
  }

  SessionConfig withListenPort(int port) {
    return new SessionConfig(name, mode, targetUrl, port, namespace, record, captureBodyLimitBytes, policies, transport);
  }

  SessionConfig withName(String newName) {
    return new SessionConfig(
        newName, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, policies, transport);
  }

  SessionConfig withPolicies(Policies newPolicies) {
    return new SessionConfig(
        name, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, newPolicies, transport);
  }
}
