package dev.tapedeck.proxyservice.tls;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import io.netty.util.NetUtil;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's interception CA as a proxy pod holds it: signs a leaf certificate per host a
 * client asks for (by SNI), with the host as its subject alternative name (a DNS name, or an IP
 * address for an address). All leaves share one ECDSA P-256 key made when the pod starts, as
 * mitmproxy does, so minting costs one signature. Leaves are kept in a bounded cache, least
 * recently used first out.
 */
public final class InterceptionCa {
  /** Most leaf certificates kept at once. */
  public static final int MAX_CACHED_LEAVES = 1_000;
  // Under the 398 days browsers accept for a leaf.
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final KeyPair leafKeys;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, X509Certificate[]> leaves =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate[]> eldest) {
          return size() > MAX_CACHED_LEAVES;
        }
      };
  private long minted;

  private InterceptionCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      this.leafKeys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot make the leaf key pair", e);
    }
  }

  /**
   * The CA in {@code certificatePem} and {@code privateKeyPem} (PKCS#8 or SEC1).
   *
   * @throws IllegalArgumentException if either cannot be read
   */
  public static InterceptionCa fromPem(String certificatePem, String privateKeyPem) {
    try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
        PEMParser keys = new PEMParser(new StringReader(privateKeyPem))) {
      if (!(certs.readObject() instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException("The CA PEM holds no certificate");
      }
      Object keyObject = keys.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey key =
          switch (keyObject) {
            // SEC1 ("EC PRIVATE KEY") may leave out the curve: the certificate's key names it.
            case PEMKeyPair pair ->
                converter.getPrivateKey(
                    new PrivateKeyInfo(
                        holder.getSubjectPublicKeyInfo().getAlgorithm(),
                        pair.getPrivateKeyInfo().parsePrivateKey()));
            case PrivateKeyInfo info -> converter.getPrivateKey(info);
            default -> throw new IllegalArgumentException("The CA key PEM holds no private key");
          };
      return new InterceptionCa(new JcaX509CertificateConverter().getCertificate(holder), key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("The CA cannot be read: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The key of every leaf. */
  PrivateKey leafKey() {
    return leafKeys.getPrivate();
  }

  /** The chain (leaf, then CA) presented for {@code host}, minted on first use. */
  public synchronized X509Certificate[] chainFor(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    X509Certificate[] chain = leaves.get(name);
    if (chain == null) {
      chain = new X509Certificate[] {mint(name), certificate};
      leaves.put(name, chain);
      minted++;
    }
    return chain;
  }

  /** Leaves minted since start (a cache miss each). */
  public synchronized long minted() {
    return minted;
  }

  /** Leaves cached now. */
  public synchronized int cached() {
    return leaves.size();
  }

  private X509Certificate mint(String host) {
    try {
      Instant now = Instant.now();
      Date notAfter = Date.from(now.plus(LEAF_VALIDITY));
      if (notAfter.after(certificate.getNotAfter())) {
        notAfter = certificate.getNotAfter();
      }
      boolean address = isAddress(host);
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              new BigInteger(127, random).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              notAfter,
              subject,
              leafKeys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, host)));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(leafKeys.getPublic()));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm()).build(key)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("Cannot sign a leaf certificate for " + host, e);
    }
  }

  private String signatureAlgorithm() {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal rather than a name (Netty's check). */
  static boolean isAddress(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }
}
