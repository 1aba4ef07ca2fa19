package dev.tapedeck.control.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Mitm;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.ProxyAuth;
import dev.tapedeck.policy.Toxics;
import dev.tapedeck.policy.UpstreamTls;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/recorder/start}: the session config, as the Mockarty recorder
 * names its fields. Unknown fields are refused (see {@code quarkus.jackson.fail-on-unknown-properties}),
 * so a client never believes a setting took effect when this version does not know it.
 *
 * @param name human-readable label; generated when empty
 * @param mode {@code reverse} (default) or {@code forward}
 * @param targetUrl upstream base URL; required in reverse mode
 * @param listenPort proxy port; 0 or absent to auto-assign from the port window
 * @param namespace mock namespace; {@code default} when absent
 * @param record false forwards without recording (passthrough); true by default
 * @param captureBodyLimitBytes bytes kept of each body; the configured limit by default
 * @param filters which exchanges are recorded (see docs/policies.md)
 * @param toxics latency, errors and throttling per protocol, connection toxics and a seed
 * @param modifications header rules, URL rewrites and body replacements
 * @param networkProfile a preset name ({@code 3g}) or an object with latency, bandwidth and loss
 * @param dnsMap host name to the address its upstream connections go to
 * @param mitm HTTPS interception in forward mode: {@code enabled} and {@code passthroughHosts}
 * @param upstreamTls trusted CA, verification switch and client certificate for upstream TLS
 * @param upstreamProxy {@code http://[user:password@]host:port} to chain upstream traffic through
 * @param forwardedHeaders add {@code Via} and {@code X-Forwarded-*} to upstream requests
 * @param captureOverflow {@code backpressure} (default): while capture publishing lags, new
 *     requests wait; {@code drop}: they go on, and their captures are stored as stubs
 * @param durability {@code async} (default) or {@code acked}: a response's last bytes reach the
 *     client only once its capture is acknowledged by Kafka (or in the proxy's disk spool)
 * @param proxyAuth the credential clients must present on the session's port: {@code username}
 *     and {@code password} (forward mode, Proxy-Authorization Basic) or {@code header} and {@code
 *     value} (reverse mode); the secrets are never shown back
 * @param trafficMode {@code record} (default), {@code passthrough} (as {@code record: false}) or
 *     {@code playback} (only the user's mocks answer; see docs/api.md, "Playback")
 * @param mapLocal {@code {"enabled": true, "namespace": "..."}}: a matching mock answers instead of
 *     the upstream
 */
public record StartRequest(
    String name,
    String mode,
    String targetUrl,
    Integer listenPort,
    String namespace,
    Boolean record,
    Long captureBodyLimitBytes,
    Filters filters,
    Toxics toxics,
    Modifications modifications,
    JsonNode networkProfile,
    Map<String, String> dnsMap,
    Mitm mitm,
    UpstreamTls upstreamTls,
    String upstreamProxy,
    Boolean forwardedHeaders,
    String captureOverflow,
    String durability,
    ProxyAuth proxyAuth,
    String trafficMode,
    SessionPlayback.MapLocal mapLocal) {

  /** A config without recording policies. */
  public StartRequest(
      String name,
      String mode,
      String targetUrl,
      Integer listenPort,
      String namespace,
      Boolean record,
      Long captureBodyLimitBytes) {
    this(
        name, mode, targetUrl, listenPort, namespace, record, captureBodyLimitBytes, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null);
  }
}
