package dev.tapedeck.control.ca;

import dev.tapedeck.control.auth.DataFolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The CA that HTTPS interception signs leaf certificates with: ECDSA P-256, valid 10 years, made
 * with BouncyCastle. It lives in {@code <data>/ca/} (the key readable by this process's user
 * only), or in the files {@code tapedeck.ca.cert-file} and {@code tapedeck.ca.key-file} name (a
 * Kubernetes Secret), which are then never replaced. The private key leaves control-service only
 * to proxy pods.
 */
@ApplicationScoped
public class CertificateAuthority {
  static final String SUBJECT = "CN=Tapedeck Interception CA, O=Tapedeck";
  private static final int VALID_YEARS = 10;

  private final Path certFile;
  private final Path keyFile;
  private final boolean provided;

  public CertificateAuthority(
      DataFolder data,
      @ConfigProperty(name = "tapedeck.ca.cert-file") Optional<String> certFile,
      @ConfigProperty(name = "tapedeck.ca.key-file") Optional<String> keyFile) {
    this.provided = certFile.filter(s -> !s.isBlank()).isPresent() && keyFile.filter(s -> !s.isBlank()).isPresent();
    this.certFile = provided ? Path.of(certFile.get()) : data.path().resolve("ca").resolve("tapedeck-ca.pem");
    this.keyFile = provided ? Path.of(keyFile.get()) : data.path().resolve("ca").resolve("tapedeck-ca.key");
  }

  /** What the API says about the CA. */
  public record Status(
      boolean exists,
      String subject,
      String algorithm,
      String notBefore,
      String notAfter,
      String sha256Fingerprint,
      boolean provided) {}

  /** The CA's status; {@code exists} false before one is generated. */
  public synchronized Status status() {
    Optional<X509Certificate> certificate = certificate();
    if (certificate.isEmpty()) {
      return new Status(false, null, null, null, null, null, provided);
    }
    X509Certificate c = certificate.get();
    return new Status(
        true,
        c.getSubjectX500Principal().getName(),
        "ECDSA P-256 (" + c.getSigAlgName() + ")",
        c.getNotBefore().toInstant().toString(),
        c.getNotAfter().toInstant().toString(),
        fingerprint(c),
        provided);
  }

  /** Generates the CA unless one exists; returns its status either way. */
  public synchronized Status generate() {
    if (certificate().isEmpty()) {
      if (provided) {
        throw new IllegalStateException("The configured CA files " + certFile + " and " + keyFile + " cannot be read");
      }
      create();
    }
    return status();
  }

  /** The CA's certificate and private key, both PEM: for proxy pods only. */
  public record Material(String certificatePem, String privateKeyPem) {}

  /** The certificate and key, generating the CA first if there is none. */
  public synchronized Material material() {
    generate();
    try {
      return new Material(Files.readString(certFile), Files.readString(keyFile));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the CA from " + certFile.getParent(), e);
    }
  }

  /** The certificate as PEM, if there is a CA. */
  public synchronized Optional<String> certificatePem() {
    try {
      return Files.isRegularFile(certFile) ? Optional.of(Files.readString(certFile)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + certFile, e);
    }
  }

  private Optional<X509Certificate> certificate() {
    return certificatePem().map(CertificateAuthority::parse);
  }

  static X509Certificate parse(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IllegalStateException("The CA file holds no certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("The CA certificate cannot be read", e);
    }
  }

  private void create() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name(SUBJECT);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
              Date.from(now.minusSeconds(3600)),
              Date.from(now.atOffset(ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant()),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      Files.createDirectories(keyFile.getParent());
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      Files.writeString(certFile, pem(certificate));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the CA to " + certFile.getParent(), e);
    } catch (NoSuchAlgorithmException
        | java.security.InvalidAlgorithmParameterException
        | CertificateException
        | OperatorCreationException e) {
      throw new IllegalStateException("Cannot create the CA", e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":")
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
