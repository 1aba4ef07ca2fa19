package dev.tapedeck.proxyservice.proxy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import dev.tapedeck.policy.Glob;
import dev.tapedeck.policy.Transport;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * What a listener needs of its session, parsed once from the control plane's {@link ProxySession}.
 *
 * @param targetBasePath the target URL's path without a trailing slash ("" for none); request
 *     paths are appended to it
 * @param policies filters, toxics, modifications and DNS map, compiled from {@code config_json}
 * @param transport HTTPS interception, upstream TLS and proxy, forwarded headers, from {@code
 *     config_json}
 * @param dropOnOverflow {@code captureOverflow: "drop"}: while capture publishing lags, the
 *     session's traffic is not held back and its captures are stored as stubs; false (the
 *     default, {@code "backpressure"}) holds new requests back instead
 * @param ackedDurability {@code durability: "acked"}: a response's last bytes reach the client
 *     only once its capture is acknowledged by Kafka (or in the disk spool)
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
    boolean ackedDurability) {
  private static final Logger LOG = Logger.getLogger(SessionSettings.class);
  // Lenient: config_json holds the whole session config; policies and transport are read from it.
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
    JsonNode config = configOf(s.getConfigJson());
    Transport transport = transportOf(config);
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
        SessionPolicies.fromConfig(config),
        transport,
        passthrough(transport.mitm().passthroughHosts()),
        "drop".equals(config.path("captureOverflow").asText()),
        "acked".equals(config.path("durability").asText()));
  }

  /**
   * The passthrough globs as RE2/J patterns. The control plane validated them; one that does not
   * compile (a config saved before a cap) is left out and logged rather than failing the session.
   */
  private static List<Pattern> passthrough(List<String> globs) {
    List<Pattern> patterns = new java.util.ArrayList<>();
    for (String glob : globs) {
      try {
        patterns.add(Glob.compile(glob, true));
      } catch (IllegalArgumentException e) {
        LOG.errorf("mitm.passthroughHosts entry left out: it %s", e.getMessage());
      }
    }
    return List.copyOf(patterns);
  }

  /**
   * The session config the control plane sent as {@code config_json}, parsed once for the policies
   * and the transport settings; empty when there is none or it cannot be read (logged).
   */
  private static JsonNode configOf(String configJson) {
    if (configJson == null || configJson.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(configJson);
    } catch (Exception e) {
      LOG.errorf(e, "Session config cannot be read; the session runs without policies and transport settings");
      return JSON.createObjectNode();
    }
  }

  /**
   * The transport settings in the config ({@code {"transport": {...}}}); direct when it holds
   * none. The control plane validated them; if they cannot be read the session runs direct.
   */
  private static Transport transportOf(JsonNode config) {
    try {
      JsonNode transport = config.get("transport");
      return transport == null || transport.isNull() ? Transport.DIRECT : JSON.treeToValue(transport, Transport.class);
    } catch (Exception e) {
      LOG.errorf(e, "Session transport settings cannot be read; the session runs without them");
      return Transport.DIRECT;
    }
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
