package dev.tapedeck.proxyservice.session;

import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The proxy's egress policy and listener limits from its configuration ({@code tapedeck.egress.*},
 * {@code tapedeck.proxy.max-connections-per-listener}, {@code tapedeck.proxy.idle-timeout}), read
 * and checked once at start: a malformed range or port stops the proxy with the setting named,
 * rather than leaving it open. The policy in force is logged at start.
 */
@ApplicationScoped
public class EgressSettings {
  private static final Logger LOG = Logger.getLogger(EgressSettings.class);

  private final EgressPolicy policy;
  private final int maxConnections;
  private final int idleTimeoutSeconds;

  public EgressSettings(
      @ConfigProperty(name = "tapedeck.egress.allow-cidrs") Optional<List<String>> allowCidrs,
      @ConfigProperty(name = "tapedeck.egress.deny-cidrs") Optional<List<String>> denyCidrs,
      @ConfigProperty(name = "tapedeck.egress.allow-hosts") Optional<List<String>> allowHosts,
      @ConfigProperty(name = "tapedeck.egress.deny-hosts") Optional<List<String>> denyHosts,
      @ConfigProperty(name = "tapedeck.egress.connect-ports") Optional<String> connectPorts,
      @ConfigProperty(name = "tapedeck.proxy.max-connections-per-listener") int maxConnections,
      @ConfigProperty(name = "tapedeck.proxy.idle-timeout") java.time.Duration idleTimeout) {
    this.policy =
        EgressPolicy.of(
            allowCidrs.orElse(List.of()),
            denyCidrs.orElse(List.of()),
            allowHosts.orElse(List.of()),
            denyHosts.orElse(List.of()),
            connectPorts.orElse("*"));
    if (maxConnections < 1) {
      throw new IllegalArgumentException("tapedeck.proxy.max-connections-per-listener must be at least 1");
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("tapedeck.proxy.idle-timeout must not be negative (0s for none)");
    }
    this.maxConnections = maxConnections;
    this.idleTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(idleTimeout.isZero() ? 0 : 1, idleTimeout.toSeconds()));
    LOG.infof(
        "Egress policy: %s; at most %d connections per listener, idle connections closed after %s",
        policy.describe(), maxConnections, idleTimeoutSeconds == 0 ? "never" : idleTimeoutSeconds + " s");
  }

  public EgressPolicy policy() {
    return policy;
  }

  /** What every listener applies; connections over the cap are counted in {@code registry}. */
  public ListenerOptions listenerOptions(MeterRegistry registry) {
    Counter refused =
        Counter.builder("tapedeck.proxy.connections.refused")
            .description("Client connections closed on arrival because their listener held its connection cap")
            .tag("reason", "cap")
            .register(registry);
    return new ListenerOptions(policy, maxConnections, idleTimeoutSeconds, refused::increment);
  }
}
