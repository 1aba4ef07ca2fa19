package dev.tapedeck.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
  private static final List<String> INTERNAL = List.copyOf(EgressPolicy.INTERNAL_RANGES.keySet());

  private static EgressPolicy defaults() {
    return EgressPolicy.of(List.of(), INTERNAL, List.of(), List.of(), "443,80");
  }

  @Test
  void refusesMetadataLoopbackAndPrivateAddressesByDefault() {
    EgressPolicy p = defaults();
    assertThat(p.check("169.254.169.254", false, "169.254.169.254"))
        .get()
        .satisfies(r -> assertThat(r.message()).contains("169.254.169.254").contains("denyCidrs 169.254.0.0/16"));
    assertThat(p.check("localhost", false, "127.0.0.1")).get().satisfies(r -> assertThat(r.target()).isEqualTo("127.0.0.1 (localhost)"));
    assertThat(p.check("db", false, "10.1.2.3")).isPresent();
    assertThat(p.check("svc", false, "192.168.1.1")).isPresent();
    assertThat(p.check("v6", false, "::1")).isPresent();
    assertThat(p.check("v6", false, "fd00::1")).isPresent();
    assertThat(p.check("zero", false, "0.0.0.0")).isPresent();
    assertThat(p.check("mapped", false, "::ffff:127.0.0.1")).isPresent();
  }

  @Test
  void anAddressCheckedAgainGetsTheSameVerdictNamingTheHostOfEachRequest() {
    EgressPolicy p = defaults();
    for (int i = 0; i < 3; i++) {
      assertThat(p.check("a.test", false, "127.0.0.1")).get().satisfies(r -> assertThat(r.target()).isEqualTo("127.0.0.1 (a.test)"));
      assertThat(p.check("b.test", false, "127.0.0.1")).get().satisfies(r -> assertThat(r.target()).isEqualTo("127.0.0.1 (b.test)"));
      assertThat(p.check("example.com", false, "93.184.216.34")).isEmpty();
      assertThat(p.checkAddress("x", "not-an-ip")).get().satisfies(r -> assertThat(r.rule()).isEqualTo("not an IP address"));
      assertThat(p.checkAddress("x", null)).isPresent();
    }
  }

  @Test
  void allowsPublicAddresses() {
    assertThat(defaults().check("example.com", false, "93.184.216.34")).isEmpty();
    assertThat(defaults().check("v6", false, "2606:2800:220:1::1")).isEmpty();
  }

  @Test
  void theMostSpecificCidrDecidesAndDenyWinsTies() {
    EgressPolicy p =
        EgressPolicy.of(List.of("10.20.0.0/16", "169.254.0.0/16"), List.of("10.0.0.0/8", "169.254.169.254/32"), List.of(), List.of(), "*");
    assertThat(p.check("a", false, "10.20.1.1")).isEmpty();
    assertThat(p.check("a", false, "10.21.1.1")).isPresent();
    assertThat(p.check("a", false, "169.254.1.1")).isEmpty();
    assertThat(p.check("a", false, "169.254.169.254")).isPresent();
    EgressPolicy tie = EgressPolicy.of(List.of("10.0.0.0/8"), List.of("10.0.0.0/8"), List.of(), List.of(), "*");
    assertThat(tie.check("a", false, "10.0.0.1")).isPresent();
  }

  @Test
  void allowHostsLetANameThroughUnlessTheDnsMapRedirectedIt() {
    EgressPolicy p = EgressPolicy.of(List.of(), INTERNAL, List.of("*.corp.example"), List.of(), "*");
    assertThat(p.check("api.corp.example", false, "10.0.0.5")).isEmpty();
    assertThat(p.check("api.corp.example", true, "169.254.169.254")).isPresent();
  }

  @Test
  void denyHostsRefuseWhereverTheNameResolves() {
    EgressPolicy p = EgressPolicy.of(List.of(), List.of(), List.of(), List.of("*.internal"), "*");
    assertThat(p.checkName("kafka.internal")).get().satisfies(r -> assertThat(r.rule()).isEqualTo("denyHosts *.internal"));
    assertThat(p.check("kafka.internal", false, "93.184.216.34")).isPresent();
    assertThat(p.check("example.com", false, "93.184.216.34")).isEmpty();
  }

  @Test
  void connectPortsDefaultTo443And80() {
    EgressPolicy p = defaults();
    assertThat(p.checkConnectPort("example.com", 443)).isEmpty();
    assertThat(p.checkConnectPort("example.com", 80)).isEmpty();
    assertThat(p.checkConnectPort("example.com", 9092)).get().satisfies(r -> assertThat(r.message()).contains("example.com:9092").contains("443,80"));
    EgressPolicy ranged = EgressPolicy.of(List.of(), List.of(), List.of(), List.of(), "443, 8000-8999");
    assertThat(ranged.checkConnectPort("h", 8443)).isEmpty();
    assertThat(ranged.checkConnectPort("h", 9000)).isPresent();
    assertThat(EgressPolicy.OPEN.checkConnectPort("h", 22)).isEmpty();
  }

  @Test
  void malformedSettingsNameTheSettingAndEntry() {
    assertThatThrownBy(() -> EgressPolicy.of(List.of("10.0.0.0/40"), List.of(), List.of(), List.of(), "*"))
        .hasMessageContaining("allow-cidrs: 10.0.0.0/40");
    assertThatThrownBy(() -> EgressPolicy.of(List.of(), List.of(), List.of(), List.of(), "443,http"))
        .hasMessageContaining("connect-ports: http");
  }

  @Test
  void validatorRefusesLiteralTargetsProxiesAndDnsMapAddressesNamingTheField() {
    List<Problem> problems =
        new PolicyValidator()
            .egress(defaults(), "169.254.169.254", "127.0.0.1", Map.of("api.example.com", "10.0.0.1", "ok.example.com", "93.184.216.34"))
            .problems();
    assertThat(problems).extracting(Problem::field).containsExactlyInAnyOrder("targetUrl", "upstreamProxy", "dnsMap.api.example.com");
    assertThat(problems.get(0).message()).contains("169.254.169.254").contains("169.254.0.0/16");
    assertThat(new PolicyValidator().egress(defaults(), "localhost", null, null).problems()).hasSize(1);
    assertThat(new PolicyValidator().egress(defaults(), "api.example.com", null, null).problems()).isEmpty();
  }

  @Test
  void proxyAuthNeedsUsernameAndPasswordInForwardModeAndAHeaderInReverseMode() {
    assertThat(new PolicyValidator().proxyAuth(new ProxyAuth("u", "p", null, null), "forward").problems()).isEmpty();
    assertThat(new PolicyValidator().proxyAuth(new ProxyAuth(null, null, "X-Key", "v"), "reverse").problems()).isEmpty();
    assertThat(new PolicyValidator().proxyAuth(new ProxyAuth(null, null, "X-Key", "v"), "forward").problems())
        .extracting(Problem::field)
        .contains("proxyAuth.username", "proxyAuth.password", "proxyAuth.header");
    assertThat(new PolicyValidator().proxyAuth(new ProxyAuth("u", "p", "bad header", null), "reverse").problems())
        .extracting(Problem::field)
        .contains("proxyAuth.header", "proxyAuth.value", "proxyAuth.username");
  }

  @Test
  void proxyAuthChecksBasicCredentialsAndHidesSecrets() {
    ProxyAuth a = new ProxyAuth("alice", "s3cret", null, null);
    String good = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
    assertThat(a.acceptsBasic(good)).isTrue();
    assertThat(a.acceptsBasic("basic " + good.substring(6))).isTrue();
    assertThat(a.acceptsBasic("Basic " + java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes()))).isFalse();
    assertThat(a.acceptsBasic("Bearer x")).isFalse();
    assertThat(a.acceptsBasic(null)).isFalse();
    assertThat(a.redacted()).isEqualTo(new ProxyAuth("alice", "(set)", null, null));
    assertThat(new ProxyAuth(null, null, "X-Key", "v").redacted().value()).isEqualTo("(set)");
  }
}
