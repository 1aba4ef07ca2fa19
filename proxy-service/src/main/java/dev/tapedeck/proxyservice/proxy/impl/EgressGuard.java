package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.Cidr;
import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.policy.EgressPolicy.Refusal;
import dev.tapedeck.policy.UpstreamProxy;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import io.vertx.core.Future;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.util.Optional;

/**
 * Applies the proxy's {@link EgressPolicy} to a session's upstream connections. The address is
 * decided once (the session's DNS map, then one lookup), checked, and then connected to as it was
 * checked, so a name whose DNS answer changes between a check and a connect (DNS rebinding) cannot
 * reach a refused address. With an upstream proxy, the upstream proxy's own address is checked
 * (it is where the connection goes) and the target's too when it is an address.
 */
final class EgressGuard {
  private final EgressPolicy policy;
  private final UpstreamClients upstreams;
  private final String upstreamProxyHost;
  private final ProxyOptions upstreamProxy;

  EgressGuard(EgressPolicy policy, UpstreamClients upstreams, String upstreamProxy) {
    this.policy = policy;
    this.upstreams = upstreams;
    if (upstreamProxy == null) {
      this.upstreamProxyHost = null;
      this.upstreamProxy = null;
    } else {
      UpstreamProxy proxy = UpstreamProxy.parse(upstreamProxy);
      this.upstreamProxyHost = proxy.host();
      ProxyOptions options = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.host()).setPort(proxy.port());
      if (proxy.username() != null) {
        options.setUsername(proxy.username()).setPassword(proxy.password());
      }
      this.upstreamProxy = options;
    }
  }

  /**
   * Where one upstream connection goes, as checked.
   *
   * @param address the address to connect to (an IP literal), or through an upstream proxy the
   *     (DNS-mapped) name it resolves
   * @param proxy the upstream proxy at its checked address, or null to connect directly
   */
  record Route(String address, ProxyOptions proxy) {}

  /** A connection the egress policy refused; carries the address and the rule. */
  static final class Refused extends RuntimeException {
    final transient Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }
  }

  EgressPolicy policy() {
    return policy;
  }

  /** The refusal of a {@code CONNECT} to {@code port}, or empty. */
  Optional<Refusal> checkConnectPort(String host, int port) {
    return policy.checkConnectPort(host, port);
  }

  /** The refusal of {@code host} by name alone (a {@code denyHosts} glob), before any lookup. */
  Optional<Refusal> checkName(String host) {
    return policy.checkName(host);
  }

  /** The refusal of connecting to {@code ip} (resolved) for {@code host}, or empty. */
  Optional<Refusal> check(String host, boolean redirected, String ip) {
    return policy.check(host, redirected, ip);
  }

  /**
   * Through an upstream proxy, checks what is reachable: the target when the DNS map or the request
   * names an address, and the upstream proxy's own address, resolved once. The future holds the
   * upstream proxy's settings with that checked address in place of its name, so the connection
   * goes where the check said (no second lookup to rebind); null without an upstream proxy.
   */
  Future<ProxyOptions> checkChained(String host, String mapped) {
    if (upstreamProxyHost == null) {
      return Future.succeededFuture();
    }
    if (Cidr.isLiteral(mapped)) {
      Optional<Refusal> target = policy.check(host, !mapped.equalsIgnoreCase(host), mapped);
      if (target.isPresent()) {
        return Future.failedFuture(new Refused(target.get()));
      }
    }
    return upstreams
        .resolve(upstreamProxyHost)
        .compose(
            ip ->
                policy
                    .check(upstreamProxyHost, false, ip)
                    .<Future<ProxyOptions>>map(
                        r -> Future.failedFuture(new Refused(new Refusal(r.target(), "upstreamProxy, " + r.rule()))))
                    .orElseGet(() -> Future.succeededFuture(new ProxyOptions(upstreamProxy).setHost(ip))));
  }

  /**
   * Where to connect for {@code host}: directly, the one address looked up (after the DNS map) and
   * checked; through an upstream proxy, the (DNS-mapped) name the proxy resolves, and the proxy at
   * its checked address. Fails with {@link Refused} when the policy refuses it.
   */
  Future<Route> route(SessionPolicies p, String host) {
    return route(host, p.resolve(host));
  }

  /** As {@link #route(SessionPolicies, String)}, with {@code mapped} the DNS map's name for {@code host}. */
  Future<Route> route(String host, String mapped) {
    Optional<Refusal> byName = policy.checkName(host);
    if (byName.isPresent()) {
      return Future.failedFuture(new Refused(byName.get()));
    }
    boolean redirected = !mapped.equalsIgnoreCase(host);
    if (upstreamProxyHost != null) {
      return checkChained(host, mapped).map(proxy -> new Route(mapped, proxy));
    }
    return upstreams
        .resolve(mapped)
        .compose(
            ip ->
                policy
                    .check(host, redirected, ip)
                    .<Future<Route>>map(r -> Future.failedFuture(new Refused(r)))
                    .orElseGet(() -> Future.succeededFuture(new Route(ip, null))));
  }
}
