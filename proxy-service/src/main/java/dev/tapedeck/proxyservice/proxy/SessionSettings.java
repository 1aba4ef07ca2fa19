package dev.tapedeck.proxyservice.proxy;

import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import java.net.URI;
import java.util.Locale;

/**
 * What a listener needs of its session, parsed once from the control plane's {@link ProxySession}.
 *
 * @param targetBasePath the target URL's path without a trailing slash ("" for none); request
 *     paths are appended to it
 * @param policies filters, toxics, modifications and DNS map, compiled from {@code config_json}
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
    SessionPolicies policies) {

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
        SessionPolicies.fromConfigJson(s.getConfigJson()));
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
