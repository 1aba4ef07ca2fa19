package dev.tapedeck.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.RepoRoot;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's commands as a user chains them, each {@code bin/tapedeck} as a process against the
 * running system: tables for people, {@code --json} for the next command, errors as messages.
 */
class CliCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void sessionImportExportMocksCaConfigsAndUsersWorkEndToEnd() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    Map<String, String> env = Map.of("TAPEDECK_URL", system.controlUrl(), "TAPEDECK_API_KEY", system.adminKey());
    try (UpstreamServer upstream = UpstreamServer.start().route("GET", "/x", req -> UpstreamResponse.json(200, "{}"))) {
      CliProcess.Result started = CliProcess.run(env, "start", "--target", upstream.url(), "--name", "cli-it-commands", "--json");
      assertThat(started.exit()).as(started.err()).isZero();
      String id = JSON.readTree(started.out()).path("session").path("id").asText();

      CliProcess.Result sessions = CliProcess.run(env, "sessions");
      assertThat(sessions.out()).startsWith("ID ").contains(id).contains("cli-it-commands");

      // One exchange recorded, replayed against the same upstream: the verdict passes, exit 0.
      int port = JSON.readTree(started.out()).path("session").path("listenPort").asInt();
      HttpResponse<String> answered =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answered.statusCode()).isEqualTo(200);
      long until = System.nanoTime() + 20_000_000_000L;
      while (!CliProcess.run(env, "entries", id).out().contains("/x") && System.nanoTime() < until) {
        Thread.sleep(200);
      }
      CliProcess.Result replayed = CliProcess.run(env, "replay", id, "--target", upstream.url());
      assertThat(replayed.exit()).as(replayed.out() + replayed.err()).isZero();
      assertThat(replayed.out()).contains(": done, verdict passed").contains("matched=1").contains("mismatched=0");

      CliProcess.Result stopped = CliProcess.run(env, "stop", id);
      assertThat(stopped.out()).startsWith("session " + id + " (cli-it-commands) stopped: reverse -> " + upstream.url());

      CliProcess.Result imported = CliProcess.run(env, "import", RepoRoot.find().resolve("cli/src/test/resources/chromium.har").toString(), "--name", "cli-it-import", "--json");
      assertThat(imported.exit()).as(imported.err()).isZero();
      JsonNode importAnswer = JSON.readTree(imported.out());
      assertThat(importAnswer.path("imported").asInt()).isEqualTo(3);
      String importedId = importAnswer.path("session").path("id").asText();

      Path har = dir.resolve("export.har");
      CliProcess.Result exported = CliProcess.run(env, "export", importedId, "-o", har.toString());
      assertThat(exported.exit()).as(exported.err()).isZero();
      assertThat(HarSchema.validate(JSON.readTree(har.toFile()))).isEmpty();
      CliProcess.Result openapi = CliProcess.run(env, "export", importedId, "--format", "openapi", "--smart-match");
      assertThat(openapi.out()).contains("openapi").contains("/api/products/{");

      CliProcess.Result entries = CliProcess.run(env, "entries", importedId);
      assertThat(entries.out().lines().toList()).hasSize(4).first().asString().startsWith("SEQ");
      assertThat(entries.out()).contains("POST    201").contains("https://shop.example.com/api/cart");

      CliProcess.Result mocks = CliProcess.run(env, "mocks", "generate", importedId, "--namespace", "cli-it", "--smart-match");
      assertThat(mocks.out()).as(mocks.err()).startsWith("created 3, updated 0, skipped 0");
      CliProcess.Result mockList = CliProcess.run(env, "mocks", "--namespace", "cli-it");
      assertThat(mockList.out()).contains("cli-it").contains("/api/cart");

      CliProcess.Result ca = CliProcess.run(env, "ca", "generate");
      assertThat(ca.out()).contains("algorithm:   ECDSA P-256");
      CliProcess.Result pem = CliProcess.run(env, "ca", "download");
      assertThat(pem.out()).startsWith("-----BEGIN CERTIFICATE-----");
      CliProcess.Result caEnv = CliProcess.run(env, "ca", "env", "--dir", dir.resolve("trust").toString());
      assertThat(caEnv.out()).contains("export SSL_CERT_FILE='" + dir.resolve("trust/ca-bundle.pem") + "'");
      assertThat(dir.resolve("trust/truststore.p12")).exists();

      Path config = dir.resolve("config.json");
      Files.writeString(config, "{\"name\":\"cli-it-config\",\"targetUrl\":\"" + upstream.url() + "\"}");
      CliProcess.Result saved = CliProcess.run(env, "configs", "save", config.toString(), "--json");
      assertThat(saved.exit()).as(saved.err()).isZero();
      CliProcess.Result configs = CliProcess.run(env, "configs");
      assertThat(configs.out()).contains("cli-it-config");

      CliProcess.Result user = CliProcess.run(env, "users", "create", "cli-it-user", "--json");
      assertThat(user.exit()).as(user.err()).isZero();
      JsonNode created = JSON.readTree(user.out());
      String userKey = created.path("apiKey").asText();
      CliProcess.Result asUser = CliProcess.run(Map.of("TAPEDECK_URL", system.controlUrl(), "TAPEDECK_API_KEY", userKey), "users");
      assertThat(asUser.exit()).isEqualTo(1);
      assertThat(asUser.err()).startsWith("tapedeck: ").doesNotContain("Exception");
      CliProcess.Result deletedUser = CliProcess.run(env, "users", "delete", created.path("user").path("id").asText());
      assertThat(deletedUser.out()).startsWith("deleted user");

      CliProcess.Result missing = CliProcess.run(env, "stop", "no-such-session");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).startsWith("tapedeck: ").doesNotContain("{");

      CliProcess.Result deleted = CliProcess.run(env, "delete", id, importedId);
      assertThat(deleted.out()).contains("deleted session " + id).contains("deleted session " + importedId + " (3 entries)");
    }
  }
}
