package dev.tapedeck.cli.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The files that make a command trust the Tapedeck CA besides the roots it already trusts:
 *
 * <ul>
 *   <li>{@code tapedeck-ca.pem}: the CA alone, for {@code NODE_EXTRA_CA_CERTS} (which adds);
 *   <li>{@code ca-bundle.pem}: the system's CA bundle (or the user's {@code SSL_CERT_FILE}) plus the
 *       CA, for {@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE} and {@code CURL_CA_BUNDLE} (which
 *       replace), so hosts that are tunnelled untouched still verify;
 *   <li>{@code truststore.p12}: a PKCS12 trust store with the JDK's roots plus the CA, for {@code
 *       -Djavax.net.ssl.trustStore} in {@code JAVA_TOOL_OPTIONS}.
 * </ul>
 */
public record TrustFiles(Path caPem, Path bundle, Path trustStore, String trustStorePassword) {
  /** Where Linux distributions and macOS keep the system CA bundle, in the order looked at. */
  static final List<String> SYSTEM_BUNDLES =
      List.of(
          "/etc/ssl/certs/ca-certificates.crt",
          "/etc/pki/tls/certs/ca-bundle.crt",
          "/etc/ssl/ca-bundle.pem",
          "/etc/pki/tls/cacert.pem",
          "/etc/ssl/cert.pem");

  /**
   * Writes the three files for the CA in {@code pem} into {@code dir} (which should be private to
   * the user).
   *
   * @param env the user's environment: an {@code SSL_CERT_FILE} it names is the bundle's base
   */
  public static TrustFiles write(Path dir, String pem, Map<String, String> env) throws IOException {
    X509Certificate ca = parse(pem);
    Path caPem = dir.resolve("tapedeck-ca.pem");
    Files.writeString(caPem, pem.endsWith("\n") ? pem : pem + "\n", StandardCharsets.US_ASCII);

    StringBuilder bundle = new StringBuilder();
    systemBundle(env).ifPresent(b -> bundle.append(b).append(b.endsWith("\n") ? "" : "\n"));
    bundle.append(pem.endsWith("\n") ? pem : pem + "\n");
    Path bundleFile = dir.resolve("ca-bundle.pem");
    Files.writeString(bundleFile, bundle, StandardCharsets.US_ASCII);

    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    Path store = dir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      int i = 0;
      for (X509Certificate root : jdkRoots()) {
        keyStore.setCertificateEntry("jdk-" + i++, root);
      }
      keyStore.setCertificateEntry("tapedeck-ca", ca);
      keyStore.store(out, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the trust store: " + e.getMessage(), e);
    }
    return new TrustFiles(caPem, bundleFile, store, password);
  }

  /** The PEM's first certificate. */
  static X509Certificate parse(String pem) throws IOException {
    try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException("the CA download holds no certificate");
      }
      return (X509Certificate) certs.iterator().next();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("the CA download is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static java.util.Optional<String> systemBundle(Map<String, String> env) throws IOException {
    String own = env.get("SSL_CERT_FILE");
    if (own != null && !own.isBlank() && Files.isReadable(Path.of(own))) {
      return java.util.Optional.of(Files.readString(Path.of(own), StandardCharsets.US_ASCII));
    }
    for (String candidate : SYSTEM_BUNDLES) {
      Path path = Path.of(candidate);
      if (Files.isReadable(path)) {
        return java.util.Optional.of(Files.readString(path, StandardCharsets.US_ASCII));
      }
    }
    return java.util.Optional.empty();
  }

  /** The roots the JDK running the CLI trusts by default (its cacerts). */
  private static X509Certificate[] jdkRoots() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
