package dev.tapedeck.control.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Mitm;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.NetworkProfile;
import dev.tapedeck.policy.ProxyAuth;
import dev.tapedeck.policy.Toxics;
import dev.tapedeck.policy.Transport;
import dev.tapedeck.policy.UpstreamProxy;
import dev.tapedeck.policy.UpstreamTls;
import dev.tapedeck.control.secrets.Secrets;
import java.time.Instant;
import java.util.Map;

/**
 * A session as the API shows it; field names as in the Mockarty recorder API. {@code revision}
 * goes up by one with each change a proxy pod must apply (a live policy update, a restart, a
 * stop).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(
    String id,
    String name,
    String mode,
    String targetUrl,
    int listenPort,
    String namespace,
    boolean record,
    long captureBodyLimitBytes,
    String status,
    Long entryCount,
    String createdAt,
    String expiresAt,
    String stoppedAt,
    String retainedUntil,
    Filters filters,
    Toxics toxics,
    Modifications modifications,
    NetworkProfile networkProfile,
    Map<String, String> dnsMap,
    Mitm mitm,
    UpstreamTls upstreamTls,
    String upstreamProxy,
    Boolean forwardedHeaders,
    String captureOverflow,
    String durability,
    Double backpressureSeconds,
    ProxyAuth proxyAuth,
    long revision,
    String trafficMode,
    SessionPlayback.MapLocal mapLocal) {

  /**
   * The view of {@code s}; {@code entryCount} is null when storage could not be asked, and
   * {@code retainedUntil} (when a stopped session is deleted) is null while it runs. Secrets (the
   * upstream client key, a proxy password, secret header values) read {@code "(set)"}.
   */
  public static SessionView of(Session s, Long entryCount, Instant retainedUntil) {
    return of(s, entryCount, retainedUntil, 0);
  }

  /**
   * As above, with the seconds the proxies held the session's new requests back because
   * publishing captures lagged (shown when above 0).
   */
  public static SessionView of(Session s, Long entryCount, Instant retainedUntil, double backpressureSeconds) {
    SessionConfig c = s.config();
    return new SessionView(
        s.id(),
        c.name(),
        c.mode(),
        c.targetUrl().isEmpty() ? null : c.targetUrl(),
        c.listenPort(),
        c.namespace(),
        c.record(),
        c.captureBodyLimitBytes(),
        s.status(),
        entryCount,
        s.createdAt().toString(),
        s.expiresAt().toString(),
        s.stoppedAt() == null ? null : s.stoppedAt().toString(),
        retainedUntil == null ? null : retainedUntil.toString(),
        c.policies().filters().allowsAll() ? null : c.policies().filters(),
        c.policies().toxics().equals(Toxics.NONE) ? null : c.policies().toxics(),
        c.policies().modifications().none() ? null : Secrets.redact(c.policies().modifications()),
        c.policies().networkProfile(),
        c.policies().dnsMap().isEmpty() ? null : c.policies().dnsMap(),
        c.transport().mitm().on() || !c.transport().mitm().passthroughHosts().isEmpty() ? c.transport().mitm() : null,
        c.transport().upstreamTls().customized() || c.transport().upstreamTls().clientKeyPem() != null
            ? Secrets.redact(c.transport()).upstreamTls()
            : null,
        withoutPassword(c.transport().upstreamProxy()),
        c.transport().forwardedHeaders() ? true : null,
        c.captureOverflow(),
        c.durability(),
        backpressureSeconds > 0 ? Math.round(backpressureSeconds * 1000) / 1000.0 : null,
        c.transport().proxyAuth() == null ? null : c.transport().proxyAuth().redacted(),
        s.revision(),
        c.playback().trafficMode(),
        c.playback().mapLocal().on() ? c.playback().mapLocal() : null);
  }

  /** The upstream proxy URL as the API shows it: a password replaced by a marker. */
  private static String withoutPassword(String url) {
    if (url == null) {
      return null;
    }
    UpstreamProxy p = UpstreamProxy.parse(url);
    return p.username() == null ? p.display() : Secrets.redact(new Transport(null, null, url, null)).upstreamProxy();
  }
}
