package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.SelfSignedTls;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS interception as a user sets it up: a forward session with {@code mitm.enabled}, the CA
 * downloaded from the API and handed to curl ({@code --cacert}, never {@code --proxy-insecure})
 * and to the JDK client as its only trust anchor; an HTTPS upstream with its own self-signed
 * certificate, which the session trusts through {@code upstreamTls.caPem}. The decrypted exchanges
 * are in the entries API, in HTTP/1.1 and HTTP/2 as the client negotiated.
 */
class HttpsInterceptionIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ApiClient api;
  private static SelfSignedTls upstreamTls;
  private static UpstreamServer upstream;

  @BeforeAll
  static void start() {
    upstreamTls = SelfSignedTls.create();
    upstream =
        UpstreamServer.startTls(upstreamTls)
            .route("GET", "/secret", req -> UpstreamResponse.json(200, "{\"secret\":\"" + req.pathAndQuery() + "\"}"));
    api = ApiClient.admin(TapedeckSystem.shared());
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @Test
  void curlAndTheJdkClientTrustingTheDownloadedCaAreInterceptedAndRecorded() throws Exception {
    JsonNode session =
        api.call(
                "POST",
                "/api/v1/recorder/start",
                JSON.writeValueAsString(
                    Map.of(
                        "name", "e2e-mitm",
                        "mode", "forward",
                        "mitm", Map.of("enabled", true),
                        "upstreamTls", Map.of("caPem", upstreamTls.certificatePem()))),
                201)
            .get("session");
    String id = session.get("id").asText();
    assertThat(session.get("mitm").get("enabled").asBoolean()).isTrue();
    String proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();
    String origin = "https://localhost:" + upstream.port();

    HttpResponse<String> download = api.send("GET", "/api/v1/recorder/ca/download", null);
    assertThat(download.statusCode()).as("a mitm session makes sure the CA exists").isEqualTo(200);
    Path caFile = Files.createTempFile("tapedeck-ca", ".pem");
    Files.writeString(caFile, download.body());

    assertThat(curl("-x", proxy, "--cacert", caFile.toString(), "--http1.1", origin + "/secret?via=curl"))
        .isEqualTo("{\"secret\":\"/secret?via=curl\"}");
    assertThat(curl("-x", proxy, "--cacert", caFile.toString(), "--http2", origin + "/secret?via=curl-h2"))
        .isEqualTo("{\"secret\":\"/secret?via=curl-h2\"}");
    HttpResponse<String> jdk =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", session.get("listenPort").asInt())))
            .sslContext(trusting(download.body()))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(origin + "/secret?via=jdk")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(jdk.body()).isEqualTo("{\"secret\":\"/secret?via=jdk\"}");

    api.awaitEntryTotal(id, 3, Duration.ofSeconds(30));
    JsonNode entries = api.call("GET", "/api/v1/recorder/" + id + "/entries?offset=0&limit=10", null, 200).get("entries");
    List<String> seen = new ArrayList<>();
    for (JsonNode entry : entries) {
      assertThat(entry.get("entryType").asText()).isEqualTo("http");
      assertThat(entry.get("response").get("statusCode").asInt()).isEqualTo(200);
      seen.add(entry.get("request").get("httpVersion").asText() + " " + entry.get("request").get("url").asText());
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "HTTP/1.1 " + origin + "/secret?via=curl",
            "HTTP/2 " + origin + "/secret?via=curl-h2",
            "HTTP/1.1 " + origin + "/secret?via=jdk");
    api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
  }

  @Test
  void aReverseSessionCannotAskForInterceptionAndBadPemIsNamed() throws Exception {
    JsonNode error =
        api.call(
            "POST",
            "/api/v1/recorder/start",
            JSON.writeValueAsString(
                Map.of(
                    "targetUrl", "https://localhost:1",
                    "mitm", Map.of("enabled", true),
                    "upstreamTls", Map.of("caPem", "not a certificate"),
                    "upstreamProxy", "socks5://proxy:1080")),
            400);
    assertThat(error.toString())
        .contains("mitm.enabled")
        .contains("upstreamTls.caPem")
        .contains("upstreamProxy");
  }

  private static SSLContext trusting(String pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry(
        "tapedeck",
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** Runs curl with {@code args} (silent, failing on errors); its stdout. */
  private static String curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "20", "--noproxy", ""));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl did not finish: " + command);
    }
    assertThat(process.exitValue()).as("exit code of %s: %s", command, err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
