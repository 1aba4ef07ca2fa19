package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a session does to the traffic it records, as the session config carries it to the
 * proxy pods (in {@code config_json}): filters, toxics, modifications, a network profile, the DNS
 * map, and the global chaos the control plane adds.
 *
 * @param dnsMap host name to the address its upstream connections go to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Policies(
    Filters filters,
    Toxics toxics,
    Modifications modifications,
    NetworkProfile networkProfile,
    Map<String, String> dnsMap,
    ChaosSettings chaos) {

  public static final Policies NONE = new Policies(null, null, null, null, null, null);

  public Policies {
    filters = filters == null ? Filters.NONE : filters;
    toxics = toxics == null ? Toxics.NONE : toxics;
    modifications = modifications == null ? Modifications.NONE : modifications;
    dnsMap = dnsMap == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dnsMap));
    chaos = chaos == null ? ChaosSettings.OFF : chaos;
  }

  public Policies withFilters(Filters f) {
    return new Policies(f, toxics, modifications, networkProfile, dnsMap, chaos);
  }

  public Policies withToxics(Toxics t) {
    return new Policies(filters, t, modifications, networkProfile, dnsMap, chaos);
  }

  public Policies withModifications(Modifications m) {
    return new Policies(filters, toxics, m, networkProfile, dnsMap, chaos);
  }

  /** These policies with {@code profile} (null for none). */
  public Policies withNetworkProfile(NetworkProfile profile) {
    return new Policies(filters, toxics, modifications, profile, dnsMap, chaos);
  }

  public Policies withChaos(ChaosSettings c) {
    return new Policies(filters, toxics, modifications, networkProfile, dnsMap, c);
  }

  /**
   * The toxics in force: the session's own, each field of which wins over the same field of the
   * network profile's toxics.
   */
  public Toxics effectiveToxics() {
    if (networkProfile == null) {
      return toxics;
    }
    ProtocolToxics profile = networkProfile.toxics();
    ConnectionToxics conn = merge(networkProfile.connectionToxics(), toxics.connection());
    return new Toxics(
        toxics.seed(),
        merge(profile, toxics.http()),
        merge(profile, toxics.websocket()),
        merge(profile, toxics.sse()),
        merge(profile, toxics.grpc()),
        conn);
  }

  private static ProtocolToxics merge(ProtocolToxics base, ProtocolToxics own) {
    if (own == null) {
      return base;
    }
    return new ProtocolToxics(
        own.delayMs() != null ? own.delayMs() : base.delayMs(),
        own.delayJitter() != null ? own.delayJitter() : base.delayJitter(),
        own.errorRate() != null ? own.errorRate() : base.errorRate(),
        own.errorStatus() != null ? own.errorStatus() : base.errorStatus(),
        own.bandwidthKBps() != null ? own.bandwidthKBps() : base.bandwidthKBps(),
        own.slowReadKBps() != null ? own.slowReadKBps() : base.slowReadKBps());
  }

  private static ConnectionToxics merge(ConnectionToxics base, ConnectionToxics own) {
    if (own == null || base == null) {
      return own == null ? base : own;
    }
    return new ConnectionToxics(
        own.resetRate() != null ? own.resetRate() : base.resetRate(),
        own.closeAfterBytes() != null ? own.closeAfterBytes() : base.closeAfterBytes(),
        own.stallMs() != null ? own.stallMs() : base.stallMs(),
        own.stallRate() != null ? own.stallRate() : base.stallRate());
  }
}
