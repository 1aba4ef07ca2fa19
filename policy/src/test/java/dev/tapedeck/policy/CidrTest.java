package dev.tapedeck.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  private static boolean in(String cidr, String address) {
    return Cidr.parse(cidr).contains(Cidr.literal(address).orElseThrow());
  }

  @Test
  void matchesIpv4RangesByPrefix() {
    assertThat(in("10.0.0.0/8", "10.255.1.2")).isTrue();
    assertThat(in("10.0.0.0/8", "11.0.0.1")).isFalse();
    assertThat(in("172.16.0.0/12", "172.31.255.255")).isTrue();
    assertThat(in("172.16.0.0/12", "172.32.0.0")).isFalse();
    assertThat(in("100.64.0.0/10", "100.127.0.1")).isTrue();
    assertThat(in("169.254.169.254", "169.254.169.254")).isTrue();
    assertThat(in("169.254.169.254", "169.254.169.253")).isFalse();
    assertThat(in("0.0.0.0/0", "8.8.8.8")).isTrue();
  }

  @Test
  void matchesIpv6RangesByPrefix() {
    assertThat(in("fe80::/10", "fe80::1")).isTrue();
    assertThat(in("fe80::/10", "febf::1")).isTrue();
    assertThat(in("fe80::/10", "fec0::1")).isFalse();
    assertThat(in("fc00::/7", "fd12:3456::1")).isTrue();
    assertThat(in("::1/128", "[::1]")).isTrue();
    assertThat(in("::1/128", "::2")).isFalse();
  }

  @Test
  void ipv4MappedIpv6MatchesTheIpv4Rule() {
    assertThat(in("127.0.0.0/8", "::ffff:127.0.0.1")).isTrue();
    assertThat(in("169.254.0.0/16", "::ffff:a9fe:a9fe")).isTrue();
    assertThat(in("::1/128", "127.0.0.1")).isFalse();
  }

  @Test
  void literalsNeverResolveNames() {
    assertThat(Cidr.isLiteral("localhost")).isFalse();
    assertThat(Cidr.isLiteral("example.com")).isFalse();
    assertThat(Cidr.isLiteral("256.1.1.1")).isFalse();
    assertThat(Cidr.isLiteral("1.2.3")).isFalse();
    assertThat(Cidr.isLiteral("fe80::1%eth0")).isTrue();
  }

  @Test
  void refusesMalformedRanges() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> Cidr.parse("intranet/8")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Cidr.parse("")).hasMessageContaining("empty");
  }
}
