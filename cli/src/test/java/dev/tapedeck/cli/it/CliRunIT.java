package dev.tapedeck.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.SelfSignedTls;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapedeck run -- COMMAND} as a CI job uses it, against the services running as processes:
 * curl (and a JVM) through the session the command gets in its environment, a HAR with every
 * exchange, COMMAND's exit code passed through.
 */
class CliRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TapedeckSystem system;
  private static UpstreamServer upstream;
  private static SelfSignedTls upstreamTls;
  private static UpstreamServer httpsUpstream;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    system = TapedeckSystem.shared();
    upstream =
        UpstreamServer.start()
            .route("GET", "/hello", req -> UpstreamResponse.json(200, "{\"hello\":\"" + req.pathAndQuery() + "\"}"))
            .route("POST", "/echo", req -> UpstreamResponse.json(201, new String(req.body())));
    upstreamTls = SelfSignedTls.create();
    httpsUpstream =
        UpstreamServer.startTls(upstreamTls)
            .route("GET", "/secret", req -> UpstreamResponse.json(200, "{\"secret\":\"" + req.pathAndQuery() + "\"}"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
    httpsUpstream.close();
  }

  private static Map<String, String> api() {
    return Map.of("TAPEDECK_URL", system.controlUrl(), "TAPEDECK_API_KEY", system.adminKey());
  }

  @Test
  void runRecordsEveryExchangeOfTheCommandIntoAValidHarAndExitsWithTheCommandsCode() throws Exception {
    Path har = dir.resolve("out/plain.har");
    Path mappings = dir.resolve("mappings.json");
    String script =
        "curl -sS -o /dev/null '" + upstream.url() + "/hello?n=1'"
            + " && curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' '" + upstream.url() + "/echo'"
            + " && curl -sS '" + upstream.url() + "/hello?n=3'; exit 3";

    CliProcess.Result result =
        CliProcess.run(api(), "run", "--name", "cli-it-plain", "--har", har.toString(), "--export", "wiremock:" + mappings,
            "--no-proxy", "", "--", "sh", "-c", script);

    assertThat(result.exit()).as(result.err()).isEqualTo(3);
    assertThat(result.out()).as("the command's output is passed through").isEqualTo("{\"hello\":\"/hello?n=3\"}");
    assertThat(result.err()).contains("3 entries stored").contains("wrote har to " + har);
    JsonNode log = JSON.readTree(har.toFile());
    assertThat(HarSchema.validate(log)).isEmpty();
    List<String> seen = new ArrayList<>();
    for (JsonNode entry : log.path("log").path("entries")) {
      seen.add(entry.path("request").path("method").asText() + " " + entry.path("request").path("url").asText() + " "
          + entry.path("response").path("status").asInt());
    }
    assertThat(seen)
        .containsExactly(
            "GET " + upstream.url() + "/hello?n=1 200",
            "POST " + upstream.url() + "/echo 201",
            "GET " + upstream.url() + "/hello?n=3 200");
    assertThat(log.path("log").path("entries").get(1).path("request").path("postData").path("text").asText()).isEqualTo("{\"a\":1}");
    assertThat(JSON.readTree(mappings.toFile()).path("mappings").size()).as("--export wiremock: mappings").isGreaterThanOrEqualTo(2);
  }

  @Test
  void mitmRunDecryptsHttpsForCurlAndTheJvmTrustingTheCaThroughTheirEnvironment() throws Exception {
    Path har = dir.resolve("mitm.har");
    Path upstreamCa = dir.resolve("upstream-ca.pem");
    Files.writeString(upstreamCa, upstreamTls.certificatePem());
    // No --cacert and no trust flags: curl reads CURL_CA_BUNDLE, the JVM JAVA_TOOL_OPTIONS.
    Path fetch = dir.resolve("Fetch.java");
    Files.writeString(
        fetch,
        """
        public class Fetch {
          public static void main(String[] args) throws Exception {
            var connection = (java.net.HttpURLConnection) java.net.URI.create(args[0]).toURL().openConnection();
            System.out.print(new String(connection.getInputStream().readAllBytes()));
          }
        }
        """);
    String origin = "https://localhost:" + httpsUpstream.port();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script =
        "curl -sS --fail '" + origin + "/secret?via=curl' && echo && '" + java + "' '" + fetch + "' '" + origin + "/secret?via=jvm'";

    CliProcess.Result result =
        CliProcess.run(api(), "run", "--mitm", "--upstream-ca", upstreamCa.toString(), "--har", har.toString(), "--no-proxy", "",
            "--", "sh", "-c", script);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("{\"secret\":\"/secret?via=curl\"}\n{\"secret\":\"/secret?via=jvm\"}");
    JsonNode log = JSON.readTree(har.toFile());
    assertThat(HarSchema.validate(log)).isEmpty();
    List<String> urls = new ArrayList<>();
    for (JsonNode entry : log.path("log").path("entries")) {
      assertThat(entry.path("response").path("status").asInt()).isEqualTo(200);
      urls.add(entry.path("request").path("url").asText());
    }
    assertThat(urls).containsExactly(origin + "/secret?via=curl", origin + "/secret?via=jvm");
  }
}
