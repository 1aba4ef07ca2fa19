package dev.tapedeck.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustFilesTest {
  /** A throwaway self-signed EC certificate (CN=test-ca). */
  static final String PEM =
      """
      -----BEGIN CERTIFICATE-----
      MIIBeTCCAR+gAwIBAgIUEMzDjB6J22EimL99xqawJa+9THcwCgYIKoZIzj0EAwIw
      EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjEyMDMxNjI5MDZaFw0zNjExMzAxNjI5
      MDZaMBIxEDAOBgNVBAMMB3Rlc3QtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
      AASJklZ0GtYHNHglnHkiSjyQk1HJzL/B1gHxcuA+w7mfB9z4Uw8QA8YtlkRvdBUW
      gthGMXc1ul23gpDU1gSdWg2Co1MwUTAdBgNVHQ4EFgQUHDGlrQmwrpaHWX+Sqbyn
      FcSl2UswHwYDVR0jBBgwFoAUHDGlrQmwrpaHWX+SqbynFcSl2UswDwYDVR0TAQH/
      BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiB8qssdXTYCPd65+egtyHzIrD/xKSCg
      wNP2HiUiuOkOngIhAOOY4uDvEYLRKnhyepoDpugEdsm7cCjKILztHwl8Fuve
      -----END CERTIFICATE-----
      """;

  @Test
  void theBundleAddsTheCaToTheUsersBundleAndTheTrustStoreHoldsTheJdkRootsAndTheCa(@TempDir Path dir) throws Exception {
    Path own = dir.resolve("own.pem");
    Files.writeString(own, "# the user's bundle\n");

    TrustFiles trust = TrustFiles.write(dir, PEM, Map.of("SSL_CERT_FILE", own.toString()));

    assertThat(Files.readString(trust.caPem())).isEqualTo(PEM);
    assertThat(Files.readString(trust.bundle())).startsWith("# the user's bundle\n").endsWith(PEM);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trust.trustStore())) {
      store.load(in, trust.trustStorePassword().toCharArray());
    }
    X509Certificate ca = (X509Certificate) store.getCertificate("tapedeck-ca");
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=test-ca");
    assertThat(store.size()).as("the JDK's roots come along, so untouched hosts still verify").isGreaterThan(10);
  }
}
