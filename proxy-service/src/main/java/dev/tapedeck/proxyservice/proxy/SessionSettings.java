package dev.tapedeck.proxyservice.proxy;

import com.google.re2j.Pattern;
import dev.tapedeck.policy.Glob;
import dev.tapedeck.policy.Transport;
import dev.tapedeck.policy.contract.SessionCodec;
import dev.tapedeck.policy.contract.Playback;
import dev.tapedeck.policy.contract.SessionContract;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * What a listener needs of its session, parsed once from the control plane's {@link ProxySession}.
 *
 * @param targetBasePath the target URL's path without a trailing slash ("" for none); request
 *     paths are appended to it
 * @param policies filters, toxics, modifications and DNS map, compiled from the session contract
 * @param transport HTTPS interception, upstream TLS and proxy, forwarded headers, from the
 *     session contract
 * @param dropOnOverflow {@code captureOverflow: "drop"}: while capture publishing lags, the
 *     session's traffic is not held back and its captures are stored as stubs; false (the
 *     default, {@code "backpressure"}) holds new requests back instead
 * @param ackedDurability {@code durability: "acked"}: a response's last bytes reach the client
 *     only once its capture is acknowledged by Kafka (or in the disk spool)
 * @param ownerId the session's user: the only one whose mocks answer on it
 * @param playback traffic mode, Map Local and the mock namespace (contract version 2)
 */
public record SessionSettings(
    String sessionId,
    String mode,
    int listenPort,
    boolean record,
    long captureBodyLimitBytes,
    String targetScheme,
    String targetHost,
    int targetPort,
    String targetBasePath,
    long revision,
    SessionPolicies policies,
    Transport transport,
    List<Pattern> passthroughHosts,
    boolean dropOnOverflow,
    boolean ackedDurability,
    String ownerId,
    Playback playback) {
  /**
   * The settings of {@code s}.
   *
   * @throws Rejected when its contract ({@code config_json}) cannot be read by this version, or a
   *     pattern in it does not compile: the pod reports the session as not applied rather than
   *     serving it without some of its rules
   */
  public static SessionSettings of(ProxySession s) {
    String scheme = "http";
    String host = "";
    int port = -1;
    String basePath = "";
    if (!s.getTargetUrl().isEmpty()) {
      URI target = URI.create(s.getTargetUrl());
      scheme = target.getScheme().toLowerCase(Locale.ROOT);
      host = target.getHost();
      port = target.getPort() != -1 ? target.getPort() : scheme.equals("https") ? 443 : 80;
      basePath = target.getRawPath() == null ? "" : target.getRawPath();
      if (basePath.endsWith("/")) {
        basePath = basePath.substring(0, basePath.length() - 1);
      }
    }
    SessionContract contract;
    try {
      contract = SessionCodec.read(s.getConfigJson());
    } catch (SessionCodec.Unreadable e) {
      throw new Rejected(e.getMessage());
    }
    try {
      return new SessionSettings(
          s.getId(),
          s.getMode(),
          s.getListenPort(),
          s.getRecord(),
          s.getCaptureBodyLimitBytes(),
          scheme,
          host,
          port,
          basePath,
          s.getRevision(),
          SessionPolicies.of(contract.policies()),
          contract.transport(),
          passthrough(contract.transport().mitm().passthroughHosts()),
          contract.dropOnOverflow(),
          contract.ackedDurability(),
          s.getOwnerId(),
          contract.playbackOrNone());
    } catch (IllegalArgumentException e) {
      throw new Rejected("a pattern of the session does not compile: " + e.getMessage());
    }
  }

  /** A session this pod cannot apply; its message says why. */
  public static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super("Session config cannot be applied: " + message);
    }
  }

  private static List<Pattern> passthrough(List<String> globs) {
    return globs.stream().map(g -> Glob.compile(g, true)).toList();
  }

  /** Whether a {@code CONNECT} to {@code host} is intercepted rather than tunnelled. */
  public boolean intercepts(String host) {
    return transport.mitm().on() && passthroughHosts.stream().noneMatch(p -> p.matcher(host).matches());
  }

  /** Whether the listener serves as a forward proxy ({@code HTTP_PROXY}) rather than reverse. */
  public boolean forwardMode() {
    return "forward".equals(mode);
  }

  public boolean targetTls() {
    return targetScheme.equals("https");
  }

  /** The target's scheme://host[:port], with the port only where it is not the default. */
  public String targetOrigin() {
    boolean defaultPort =
        (targetTls() && targetPort == 443) || (!targetTls() && targetPort == 80);
    String h = targetHost.contains(":") ? "[" + targetHost + "]" : targetHost;
    return targetScheme + "://" + h + (defaultPort ? "" : ":" + targetPort);
  }
}
