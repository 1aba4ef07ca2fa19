package dev.tapedeck.proxyservice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Reading the CA as control-service writes it (PKCS#8 now, SEC1 before) and minting leaves. */
class InterceptionCaTest {
  private static final KeyPair KEYS = keys();
  private static final X509Certificate CA = ca(KEYS);

  @Test
  void readsPkcs8AndTheOlderSec1KeyWithoutCurveParameters() throws Exception {
    // JcaPEMWriter writes the JDK's EC key as SEC1 ("EC PRIVATE KEY") without the curve, as
    // control-service did before it wrote PKCS#8: the certificate's key names the curve.
    for (Object key : List.of(new JcaPKCS8Generator(KEYS.getPrivate(), null), KEYS.getPrivate())) {
      InterceptionCa ca = InterceptionCa.fromPem(pem(CA), pem(key));
      X509Certificate[] chain = ca.chainFor("api.example.com");
      chain[0].verify(KEYS.getPublic());
      assertThat(chain[1]).isEqualTo(CA);
    }
  }

  @Test
  void leavesNameTheHostAndAreCachedBoundedly() throws Exception {
    InterceptionCa ca = InterceptionCa.fromPem(pem(CA), pem(new JcaPKCS8Generator(KEYS.getPrivate(), null)));

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

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate ca(KeyPair keys) {
    try {
      X500Name subject = new X500Name("CN=Test CA");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject, BigInteger.ONE, Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(100))),
              subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
