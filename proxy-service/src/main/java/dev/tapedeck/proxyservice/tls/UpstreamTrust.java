package dev.tapedeck.proxyservice.tls;

import dev.tapedeck.policy.Transport;
import dev.tapedeck.policy.UpstreamProxy;
import dev.tapedeck.policy.UpstreamTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Applies a session's upstream settings to the options of a Vert.x client (HTTP, WebSocket or
 * TCP): which upstream certificates are trusted (the JDK's roots, plus the session's CA, or any
 * with {@code insecureSkipVerify}), the client certificate presented, and the HTTP proxy chained
 * through.
 */
public final class UpstreamTrust {
  private UpstreamTrust() {}

  /**
   * {@code options} with the session's upstream TLS and proxy settings. Host name verification is
   * the caller's to switch off when {@link #verifiesHost} says so (it lives on each client type).
   *
   * @throws IllegalArgumentException if a PEM cannot be loaded
   */
  public static <T extends ClientOptionsBase> T apply(T options, Transport transport) {
    UpstreamTls tls = transport.upstreamTls();
    if (tls.insecureSkipVerify()) {
      options.setTrustAll(true);
    } else if (tls.caPem() != null) {
      options.setTrustOptions(TrustOptions.wrap(withDefaultRoots(tls.caPem())));
    }
    if (tls.clientCertPem() != null && tls.clientKeyPem() != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(tls.clientCertPem()))
              .addKeyValue(Buffer.buffer(tls.clientKeyPem())));
    }
    if (transport.upstreamProxy() != null) {
      UpstreamProxy proxy = UpstreamProxy.parse(transport.upstreamProxy());
      ProxyOptions proxyOptions = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.host()).setPort(proxy.port());
      if (proxy.username() != null) {
        proxyOptions.setUsername(proxy.username()).setPassword(proxy.password());
      }
      options.setProxyOptions(proxyOptions);
    }
    return options;
  }

  /** Whether upstream host names are checked against their certificates. */
  public static boolean verifiesHost(Transport transport) {
    return !transport.upstreamTls().insecureSkipVerify();
  }

  /** A trust manager for the JDK's default roots and the certificates in {@code pem}. */
  private static TrustManager withDefaultRoots(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      int i = 0;
      for (TrustManager manager : defaults.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate root : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("root-" + i++, root);
          }
        }
      }
      for (Certificate extra :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("session-" + i++, extra);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers()[0];
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("upstreamTls.caPem cannot be loaded: " + e.getMessage(), e);
    }
  }
}
