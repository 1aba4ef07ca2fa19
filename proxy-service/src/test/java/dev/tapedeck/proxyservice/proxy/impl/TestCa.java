package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.tls.InterceptionCa;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA made the way control-service makes the interception CA, for tests of the proxy alone. */
final class TestCa {
  final String certificatePem;
  final String privateKeyPem;
  final X509Certificate certificate;
  final KeyPair keys;

  private TestCa(X509Certificate certificate, KeyPair keys, String certificatePem, String privateKeyPem) {
    this.certificate = certificate;
    this.keys = keys;
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
  }

  static TestCa create() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=Tapedeck Test CA");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, BigInteger.TEN, Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
            subject, keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new TestCa(certificate, keys, pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
  }

  InterceptionCa interceptionCa() {
    return InterceptionCa.fromPem(certificatePem, privateKeyPem);
  }

  /** An SSL context that trusts this CA only, as a client that installed it would. */
  SSLContext trustingClientContext() throws Exception {
    return trusting(certificate);
  }

  static SSLContext trusting(Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** The certificate of the test upstream's key store, as PEM. */
  static X509Certificate upstreamCertificate() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(TestKeyStore.options().getPath()))) {
      store.load(in, TestKeyStore.options().getPassword().toCharArray());
    }
    return (X509Certificate) store.getCertificate("upstream");
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
