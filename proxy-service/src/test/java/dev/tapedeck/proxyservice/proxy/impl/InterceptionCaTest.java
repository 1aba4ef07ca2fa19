package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.tls.InterceptionCa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;

/** Reading the CA as control-service writes it (PKCS#8 now, SEC1 before) and minting leaves. */
class InterceptionCaTest {
  private static final TestCa TEST_CA = create();
  private static final KeyPair KEYS = TEST_CA.keys;
  private static final X509Certificate CA = TEST_CA.certificate;

  @Test
  void readsPkcs8AndTheOlderSec1KeyWithoutCurveParameters() throws Exception {
    // JcaPEMWriter writes the JDK's EC key as SEC1 ("EC PRIVATE KEY") without the curve, as
    // control-service did before it wrote PKCS#8: the certificate's key names the curve.
    for (Object key : List.of(new JcaPKCS8Generator(KEYS.getPrivate(), null), KEYS.getPrivate())) {
      InterceptionCa ca = InterceptionCa.fromPem(TestCa.pem(CA), TestCa.pem(key));
      X509Certificate[] chain = ca.chainFor("api.example.com");
      chain[0].verify(KEYS.getPublic());
      assertThat(chain[1]).isEqualTo(CA);
    }
  }

  @Test
  void leavesNameTheHostAndAreCachedBoundedly() throws Exception {
    InterceptionCa ca = InterceptionCa.fromPem(TestCa.pem(CA), TestCa.pem(new JcaPKCS8Generator(KEYS.getPrivate(), null)));

    X509Certificate name = ca.chainFor("API.Example.com")[0];
    X509Certificate address = ca.chainFor("10.0.0.7")[0];
    X509Certificate v6 = ca.chainFor("::1")[0];

    assertThat(name.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.com"));
    assertThat(address.getSubjectAlternativeNames()).containsExactly(List.of(7, "10.0.0.7"));
    assertThat(v6.getSubjectAlternativeNames()).hasSize(1);
    assertThat(name.getBasicConstraints()).isEqualTo(-1);
    assertThat(name.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(name.getNotAfter()).isBeforeOrEqualTo(CA.getNotAfter());
    assertThat(ca.chainFor("api.example.com")[0]).isSameAs(name);
    for (int i = 0; i < InterceptionCa.MAX_CACHED_LEAVES + 10; i++) {
      ca.chainFor("host-" + i + ".test");
    }
    assertThat(ca.cached()).isEqualTo(InterceptionCa.MAX_CACHED_LEAVES);
    assertThat(ca.chainFor("api.example.com")[0]).as("evicted, so signed again").isNotSameAs(name);
  }

  @Test
  void aPemWithoutACertificateIsRefused() {
    assertThatThrownBy(() -> InterceptionCa.fromPem("nothing", "nothing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no certificate");
  }

  private static TestCa create() {
    try {
      return TestCa.create();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
