package dev.tapedeck.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made with the JDK's
 * {@code keytool}, for HTTPS upstreams in tests: the server side as an {@link SSLContext}, the
 * certificate as PEM for whoever should trust it.
 */
public final class SelfSignedTls {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private final KeyStore store;

  private SelfSignedTls(KeyStore store) {
    this.store = store;
  }

  /** Makes a fresh key pair and certificate (takes a second or so). */
  public static SelfSignedTls create() {
    try {
      Path dir = Files.createTempDirectory("tapedeck-tls");
      Path file = dir.resolve("upstream.p12");
      Process keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                  "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                  "-storetype", "PKCS12", "-keystore", file.toString(),
                  "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        keytool.destroyForcibly();
        throw new IllegalStateException("keytool could not make a test certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, PASSWORD);
      }
      Files.delete(file);
      Files.delete(dir);
      return new SelfSignedTls(store);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server side: presents the certificate. */
  SSLContext serverContext() {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server side, asking every client for a certificate and accepting only {@code client}'s
   * (mutual TLS).
   */
  SSLContext serverContextTrusting(SelfSignedTls client) {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("client", client.store.getCertificate("upstream"));
      javax.net.ssl.TrustManagerFactory trust =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as PKCS#8 PEM, for a client presenting this certificate. */
  public String privateKeyPem() {
    try {
      java.security.Key key = store.getKey("upstream", PASSWORD);
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate as PEM. */
  public String certificatePem() {
    try {
      X509Certificate certificate = (X509Certificate) store.getCertificate("upstream");
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
