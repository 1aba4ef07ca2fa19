package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AbsoluteUriTest {

  @Test
  void readsHostPortPathAndQuery() throws Exception {
    assertThat(AbsoluteUri.parse("http://api.example.test:8080/a/b?q=1%202&x"))
        .isEqualTo(new UpstreamTarget("api.example.test", 8080, false, "/a/b?q=1%202&x", "http://api.example.test:8080/a/b?q=1%202&x"));
  }

  @Test
  void defaultsThePortBySchemeAndThePathToSlash() throws Exception {
    assertThat(AbsoluteUri.parse("http://example.test"))
        .isEqualTo(new UpstreamTarget("example.test", 80, false, "/", "http://example.test/"));
    assertThat(AbsoluteUri.parse("HTTPS://example.test?q"))
        .isEqualTo(new UpstreamTarget("example.test", 443, true, "/?q", "https://example.test/?q"));
  }

  @Test
  void dropsUserInfoAndFragmentAndKeepsIpv6Literals() throws Exception {
    assertThat(AbsoluteUri.parse("http://user:pw@[::1]:9000/p#frag"))
        .isEqualTo(new UpstreamTarget("::1", 9000, false, "/p", "http://[::1]:9000/p"));
  }

  @Test
  void refusesOriginFormOtherSchemesAndBadPorts() {
    assertThatThrownBy(() -> AbsoluteUri.parse("/hello")).isInstanceOf(BadProxyRequest.class).hasMessageContaining("absolute URI");
    assertThatThrownBy(() -> AbsoluteUri.parse("ftp://example.test/")).hasMessageContaining("ftp");
    assertThatThrownBy(() -> AbsoluteUri.parse("http://example.test:99999/")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> AbsoluteUri.parse("http:///path")).isInstanceOf(BadProxyRequest.class);
  }
}
