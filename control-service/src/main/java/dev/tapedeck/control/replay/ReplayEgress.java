package dev.tapedeck.control.replay;

import dev.tapedeck.policy.Cidr;
import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.policy.EgressPolicy.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The egress policy sessions obey ({@code tapedeck.egress.*}, the same settings the proxies and the
 * session validator read), applied to replay: a replayed request may reach exactly what a session's
 * proxy may reach, so replay cannot be used to call the cluster's own services or the cloud metadata
 * address. As in the proxy, a name is resolved once, that address is checked, and the request is
 * sent to that address (no second lookup a rebinding DNS answer could change).
 */
@ApplicationScoped
public class ReplayEgress {
  private final EgressPolicy policy;

  @Inject
  public ReplayEgress(
      @ConfigProperty(name = "tapedeck.egress.allow-cidrs") Optional<List<String>> allowCidrs,
      @ConfigProperty(name = "tapedeck.egress.deny-cidrs") Optional<List<String>> denyCidrs,
      @ConfigProperty(name = "tapedeck.egress.allow-hosts") Optional<List<String>> allowHosts,
      @ConfigProperty(name = "tapedeck.egress.deny-hosts") Optional<List<String>> denyHosts) {
    this(
        EgressPolicy.of(
            allowCidrs.orElse(List.of()),
            denyCidrs.orElse(List.of()),
            allowHosts.orElse(List.of()),
            denyHosts.orElse(List.of()),
            "*"));
  }

  public ReplayEgress(EgressPolicy policy) {
    this.policy = policy;
  }

  /** A request the egress policy refused. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The refusal of a URL judged by what it says, before any lookup: a host denied by name, or an
   * address literal in a denied range. Used to answer 400 on the field that named it.
   */
  public Optional<String> checkLiteral(URI url) {
    String host = host(url);
    Optional<Refusal> byName = policy.checkName(host);
    if (byName.isPresent()) {
      return byName.map(Refusal::message);
    }
    if (Cidr.isLiteral(host)) {
      return policy.check(host, false, host).map(Refusal::message);
    }
    return Optional.empty();
  }

  /**
   * The address to send to for {@code url}: looked up once and checked.
   *
   * @throws Refused when the policy refuses the host or its address, or the name does not resolve
   */
  public String route(URI url) {
    String host = host(url);
    Optional<Refusal> byName = policy.checkName(host);
    if (byName.isPresent()) {
      throw new Refused(byName.get().message());
    }
    String ip;
    try {
      ip = InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new Refused("Host " + host + " does not resolve");
    }
    Optional<Refusal> refusal = policy.check(host, false, ip);
    if (refusal.isPresent()) {
      throw new Refused(refusal.get().message());
    }
    return ip;
  }

  static String host(URI url) {
    String host = url.getHost() == null ? "" : url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
