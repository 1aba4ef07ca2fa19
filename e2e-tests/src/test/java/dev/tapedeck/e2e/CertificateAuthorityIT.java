package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The interception CA: generated once, downloadable as PEM, usable as a trust anchor. */
class CertificateAuthorityIT {

  @Test
  void theCaIsGeneratedOnceAndDownloadsAsATrustAnchor() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    assertThat(api.withKey("wrong").send("GET", "/api/v1/recorder/ca/status", null).statusCode()).isEqualTo(401);

    JsonNode before = api.call("GET", "/api/v1/recorder/ca/status", null, 200);
    if (!before.get("exists").asBoolean()) {
      assertThat(api.send("GET", "/api/v1/recorder/ca/download", null).statusCode()).isEqualTo(404);
    }
    JsonNode generated = api.call("POST", "/api/v1/recorder/ca/generate", null, 200);
    assertThat(generated.get("exists").asBoolean()).isTrue();
    assertThat(generated.get("algorithm").asText()).contains("ECDSA P-256");
    JsonNode again = api.call("POST", "/api/v1/recorder/ca/generate", null, 200);
    assertThat(again.get("sha256Fingerprint").asText())
        .as("generate returns the existing CA")
        .isEqualTo(generated.get("sha256Fingerprint").asText());

    HttpResponse<String> download = api.send("GET", "/api/v1/recorder/ca/download", null);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("tapedeck-ca.pem");
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(download.body().getBytes(StandardCharsets.US_ASCII)));
    assertThat(ca.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(ca.getBasicConstraints()).as("a CA that may sign leaf certificates").isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    Duration validity = Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
    assertThat(validity.toDays()).isBetween(3650L, 3655L);
    assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
    ca.verify(ca.getPublicKey());

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("tapedeck-ca", ca);
    assertThat(trust.isCertificateEntry("tapedeck-ca")).isTrue();

    Path key = system.dataDir().resolve("ca").resolve("tapedeck-ca.key");
    assertThat(key).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .as("the private key is readable by control-service's user only")
        .isEqualTo("rw-------");
    assertThat(download.body()).doesNotContain("PRIVATE KEY");
  }
}
