package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The egress policy in the chart: both services get the same egress settings (control validates
 * with them, the proxy enforces them), and proxy pods get an egress NetworkPolicy that admits DNS,
 * control, Kafka and the internet outside the refused ranges only.
 */
class ProxyEgressNetworkPolicyTest {
  private static final String DEFAULT_DENY =
      "0.0.0.0/8,127.0.0.0/8,169.254.0.0/16,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,::/128,::1/128,fe80::/10,fc00::/7,10.96.0.0/12";

  private static List<IPBlock> ipBlocks(NetworkPolicy policy) {
    return policy.getSpec().getEgress().stream()
        .flatMap(r -> r.getTo() == null ? java.util.stream.Stream.empty() : r.getTo().stream())
        .map(NetworkPolicyPeer::getIpBlock)
        .filter(Objects::nonNull)
        .toList();
  }

  @Test
  void controlAndProxyGetTheClusterDefaults() {
    Rendered rendered = RenderCase.DEFAULTS.render();
    for (String component : new String[] {"control", "proxy"}) {
      assertThat(rendered.configMap(component).getData())
          .as(component)
          .containsEntry("TAPEDECK_EGRESS_DENY_CIDRS", DEFAULT_DENY)
          .containsEntry("TAPEDECK_EGRESS_DENY_HOSTS", "*.cluster.local,*.svc");
    }
    assertThat(rendered.configMap("proxy").getData())
        .containsEntry("TAPEDECK_EGRESS_CONNECT_PORTS", "443,80")
        .containsEntry("TAPEDECK_PROXY_MAX_CONNECTIONS_PER_LISTENER", "1000")
        .containsEntry("TAPEDECK_PROXY_IDLE_TIMEOUT", "120s");
  }

  @Test
  void proxyPodsReachOnlyDnsControlKafkaAndTheInternetOutsideRefusedRanges() {
    NetworkPolicy policy = RenderCase.DEFAULTS.render().get(NetworkPolicy.class, "tapedeck-proxy-egress");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "proxy");
    List<NetworkPolicyEgressRule> rules = policy.getSpec().getEgress();
    assertThat(rules.get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsOnly(53);
    assertThat(rules.get(1).getTo().getFirst().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "control");
    assertThat(rules.get(2).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(9092);
    List<IPBlock> blocks = ipBlocks(policy);
    IPBlock v4 = blocks.stream().filter(b -> b.getCidr().equals("0.0.0.0/0")).findFirst().orElseThrow();
    assertThat(v4.getExcept())
        .contains("169.254.0.0/16", "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "10.96.0.0/12")
        .noneMatch(c -> c.contains(":"));
    IPBlock v6 = blocks.stream().filter(b -> b.getCidr().equals("::/0")).findFirst().orElseThrow();
    assertThat(v6.getExcept()).contains("fe80::/10", "fc00::/7", "::1/128");
  }

  @Test
  void allowedRangesAndAServiceCidrReachBothTheSettingsAndTheNetworkPolicy() {
    Rendered rendered =
        Rendered.of(
            Chart.staged()
                .render(
                """
                egress:
                  serviceCidr: 172.20.0.0/16
                  allowCidrs: [10.40.0.0/16]
                  connectPorts: "443,8443"
                  networkPolicy:
                    kafkaPeers:
                      - ipBlock: {cidr: 10.50.0.0/24}
                """));
    Map<String, String> proxy = rendered.configMap("proxy").getData();
    assertThat(proxy.get("TAPEDECK_EGRESS_DENY_CIDRS")).endsWith(",fc00::/7,172.20.0.0/16");
    assertThat(proxy).containsEntry("TAPEDECK_EGRESS_ALLOW_CIDRS", "10.40.0.0/16").containsEntry("TAPEDECK_EGRESS_CONNECT_PORTS", "443,8443");
    assertThat(rendered.configMap("control").getData()).containsEntry("TAPEDECK_EGRESS_ALLOW_CIDRS", "10.40.0.0/16");
    NetworkPolicy policy = rendered.get(NetworkPolicy.class, "tapedeck-proxy-egress");
    assertThat(ipBlocks(policy)).extracting(IPBlock::getCidr).contains("10.40.0.0/16", "10.50.0.0/24");
  }
}
