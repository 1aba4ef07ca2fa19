package dev.tapedeck.control.session;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.policy.PolicyChecks;
import dev.tapedeck.control.secrets.Secrets;
import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.PolicyValidator;
import dev.tapedeck.policy.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.tapedeck.policy.EgressPolicy;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Validates a session config in one place and reports every field at fault at once, then
 * returns the config with its defaults filled in.
 */
@ApplicationScoped
public class SessionConfigValidator {
  /** A mock namespace: what a session's {@code namespace} and mock generation accept. */
  public static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final long maxBodyLimit;
  private final int portMin;
  private final int portMax;
  private final EgressPolicy egress;

  /** A validator that checks no egress rules (for tests of the other fields). */
  public SessionConfigValidator(long maxBodyLimit, int portMin, int portMax) {
    this(maxBodyLimit, portMin, portMax, EgressPolicy.OPEN);
  }

  /**
   * @param egress the proxies' egress policy: literal addresses in {@code targetUrl}, {@code
   *     upstreamProxy} and {@code dnsMap} are refused up front (the proxy checks every address
   *     again when it connects, names included)
   */
  public SessionConfigValidator(long maxBodyLimit, int portMin, int portMax, EgressPolicy egress) {
    this.maxBodyLimit = maxBodyLimit;
    this.portMin = portMin;
    this.portMax = portMax;
    this.egress = egress;
  }

  @Inject
  public SessionConfigValidator(
      @ConfigProperty(name = "tapedeck.capture.max-body-bytes") long maxBodyLimit,
      @ConfigProperty(name = "tapedeck.proxy.port-min") int portMin,
      @ConfigProperty(name = "tapedeck.proxy.port-max") int portMax,
      @ConfigProperty(name = "tapedeck.egress.allow-cidrs") Optional<List<String>> allowCidrs,
      @ConfigProperty(name = "tapedeck.egress.deny-cidrs") Optional<List<String>> denyCidrs,
      @ConfigProperty(name = "tapedeck.egress.allow-hosts") Optional<List<String>> allowHosts,
      @ConfigProperty(name = "tapedeck.egress.deny-hosts") Optional<List<String>> denyHosts) {
    this(
        maxBodyLimit,
        portMin,
        portMax,
        EgressPolicy.of(
            allowCidrs.orElse(List.of()),
            denyCidrs.orElse(List.of()),
            allowHosts.orElse(List.of()),
            denyHosts.orElse(List.of()),
            "*"));
  }

  /** The config with defaults applied, or an {@link ApiException} listing every problem. */
  public SessionConfig validate(StartRequest request) {
    if (request == null) {
      throw ApiException.validation(
          List.of(new FieldError("body", "a JSON object with the session config is required")));
    }
    List<FieldError> errors = new ArrayList<>();
    String mode = request.mode() == null ? "reverse" : request.mode().toLowerCase(Locale.ROOT);
    if (!mode.equals("reverse") && !mode.equals("forward")) {
      errors.add(new FieldError("mode", "must be \"reverse\" or \"forward\""));
    }
    String targetUrl = request.targetUrl() == null ? "" : request.targetUrl().trim();
    if (mode.equals("reverse") && targetUrl.isEmpty()) {
      errors.add(new FieldError("targetUrl", "is required in reverse mode"));
    } else if (!targetUrl.isEmpty()) {
      checkUrl(targetUrl, errors);
    }
    int port = request.listenPort() == null ? 0 : request.listenPort();
    if (port != 0 && (port < portMin || port > portMax)) {
      errors.add(
          new FieldError(
              "listenPort",
              "must be 0 (auto-assign) or within the proxy port window " + portMin + "-" + portMax));
    }
    long bodyLimit =
        request.captureBodyLimitBytes() == null ? maxBodyLimit : request.captureBodyLimitBytes();
    if (bodyLimit < 0 || bodyLimit > maxBodyLimit) {
      errors.add(
          new FieldError(
              "captureBodyLimitBytes", "must be between 0 and " + maxBodyLimit + " bytes"));
    }
    String name = request.name() == null ? "" : request.name().trim();
    if (name.length() > 200) {
      errors.add(new FieldError("name", "must be at most 200 characters"));
    }
    if (request.namespace() != null
        && !request.namespace().isBlank()
        && !NAMESPACE.matcher(request.namespace()).matches()) {
      errors.add(new FieldError("namespace", "must be 1-64 letters, digits, '.', '_' or '-'"));
    }
    String overflow = request.captureOverflow() == null ? SessionConfig.BACKPRESSURE : request.captureOverflow();
    if (!overflow.equals(SessionConfig.BACKPRESSURE) && !overflow.equals(SessionConfig.DROP)) {
      errors.add(new FieldError("captureOverflow", "must be \"backpressure\" or \"drop\""));
    }
    String durability = request.durability() == null ? SessionConfig.ASYNC : request.durability();
    if (!durability.equals(SessionConfig.ASYNC) && !durability.equals(SessionConfig.ACKED)) {
      errors.add(new FieldError("durability", "must be \"async\" or \"acked\""));
    }
    Policies policies = PolicyChecks.sessionPolicies(request, errors);
    SessionPlayback playback = PlaybackChecks.check(request.trafficMode(), request.mapLocal(), request.record(), errors);
    Transport transport =
        new Transport(
            request.mitm(), request.upstreamTls(), request.upstreamProxy(), request.forwardedHeaders(), request.proxyAuth());
    // A secret given as "(set)" is reported once, as such, not also as a bad PEM or URL.
    List<FieldError> placeholders = Secrets.placeholders(request);
    List<String> placeholderFields = placeholders.stream().map(FieldError::field).toList();
    new PolicyValidator()
        .transport(transport)
        .proxyAuth(request.proxyAuth(), mode)
        .egress(egress, hostOf(targetUrl), proxyHostOf(transport.upstreamProxy()), request.dnsMap())
        .problems()
        .stream()
        .filter(p -> !placeholderFields.contains(p.field()))
        .forEach(p -> errors.add(new FieldError(p.field(), p.message())));
    if (transport.mitm().on() && !mode.equals("forward")) {
      errors.add(
          new FieldError(
              "mitm.enabled",
              "applies to forward mode only (a reverse session reaches an https:// target without it)"));
    }
    errors.addAll(placeholders);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new SessionConfig(
        name,
        mode,
        stripTrailingSlash(targetUrl),
        port,
        request.namespace() == null || request.namespace().isBlank()
            ? "default"
            : request.namespace(),
        !playback.trafficMode().equals("passthrough"),
        bodyLimit,
        policies,
        transport,
        overflow,
        durability,
        playback);
  }

  private static void checkUrl(String targetUrl, List<FieldError> errors) {
    try {
      URI uri = new URI(targetUrl);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        errors.add(new FieldError("targetUrl", "must be an http:// or https:// URL"));
      } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
        errors.add(new FieldError("targetUrl", "must name a host"));
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        errors.add(new FieldError("targetUrl", "must not carry a query or fragment"));
      }
    } catch (URISyntaxException e) {
      errors.add(new FieldError("targetUrl", "is not a valid URL: " + e.getReason()));
    }
  }

  /** The host of a URL, or null when it has none or is no URL (reported elsewhere). */
  private static String hostOf(String url) {
    try {
      return url == null || url.isEmpty() ? null : new URI(url).getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String proxyHostOf(String upstreamProxy) {
    return upstreamProxy == null || !upstreamProxy.toLowerCase(Locale.ROOT).startsWith("http://") ? null : hostOf(upstreamProxy);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
