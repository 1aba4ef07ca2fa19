package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parsesConnectAuthoritiesWithARequiredPort() throws Exception {
    assertThat(HostPort.parse("example.test:443", -1)).isEqualTo(new HostPort("example.test", 443));
    assertThat(HostPort.parse("[2001:db8::1]:8443", -1).authority()).isEqualTo("[2001:db8::1]:8443");
    assertThatThrownBy(() -> HostPort.parse("example.test", -1)).hasMessageContaining("No port");
    assertThatThrownBy(() -> HostPort.parse("::1:443", -1)).isInstanceOf(BadProxyRequest.class);
    assertThatThrownBy(() -> HostPort.parse("example.test:0", -1)).isInstanceOf(BadProxyRequest.class);
  }
}
