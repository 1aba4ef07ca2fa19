package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.policy.Policies;
import java.util.Locale;
import java.util.Map;

/**
 * A session's policies as the proxy applies them, compiled once from the session's
 * contract each time the control plane sends a new revision: the listener swaps the whole
 * object in, so a request sees either the old rules or the new ones, never a mix.
 */
public final class SessionPolicies {
  public static final SessionPolicies NONE = new SessionPolicies(Policies.NONE);

  private final ScopeFilter filter;
  private final ToxicEngine toxics;
  private final Modifier modifier;
  private final Map<String, String> dnsMap;
  private final boolean modifies;

  private SessionPolicies(Policies p) {
    filter = new ScopeFilter(p.filters());
    toxics = new ToxicEngine(p.effectiveToxics(), p.chaos());
    modifier = new Modifier(p.modifications());
    modifies = !p.modifications().none();
    dnsMap = Map.copyOf(lowerCaseKeys(p.dnsMap()));
  }

  public static SessionPolicies of(Policies p) {
    return new SessionPolicies(p);
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> map) {
    Map<String, String> result = new java.util.HashMap<>();
    map.forEach((k, v) -> result.put(k.toLowerCase(Locale.ROOT), v));
    return result;
  }

  public ScopeFilter filter() {
    return filter;
  }

  public ToxicEngine toxics() {
    return toxics;
  }

  public Modifier modifier() {
    return modifier;
  }

  /** Whether any modification rule is set. */
  public boolean modifies() {
    return modifies;
  }

  /** The address upstream connections to {@code host} go to: its DNS map entry, or the host. */
  public String resolve(String host) {
    return dnsMap.getOrDefault(host.toLowerCase(Locale.ROOT), host);
  }
}
