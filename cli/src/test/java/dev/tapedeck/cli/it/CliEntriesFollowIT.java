package dev.tapedeck.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tapedeck entries SESSION --follow}: a request shows up in the output as it happens. */
class CliEntriesFollowIT {
  @TempDir Path dir;

  @Test
  void followPrintsEachRequestAsItIsStoredAndTheListShowsWhatCameBefore() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    try (UpstreamServer upstream = UpstreamServer.start().route("GET", "/live", req -> UpstreamResponse.json(200, "{}"))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"name\":\"cli-it-follow\",\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
      String id = session.get("id").asText();
      String proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      http.send(HttpRequest.newBuilder(URI.create(proxy + "/live?before=1")).build(), HttpResponse.BodyHandlers.discarding());
      api.awaitEntryTotal(id, 1, Duration.ofSeconds(30));

      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      Process follow =
          CliProcess.start(Map.of("TAPEDECK_URL", system.controlUrl(), "TAPEDECK_API_KEY", system.adminKey()), out, err, "entries", id, "--follow");
      try {
        awaitContent(err, "following session " + id, follow);
        assertThat(Files.readString(out)).contains("GET     200").contains(upstream.url() + "/live?before=1");

        // The live subscription settles in moments: send until one request shows up.
        String shown = null;
        for (int attempt = 0; attempt < 20 && shown == null; attempt++) {
          http.send(HttpRequest.newBuilder(URI.create(proxy + "/live?after=" + attempt)).build(), HttpResponse.BodyHandlers.discarding());
          long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
          while (shown == null && System.nanoTime() < until) {
            shown = Files.readAllLines(out).stream().filter(l -> l.contains("/live?after=")).findFirst().orElse(null);
            Thread.sleep(50);
          }
        }
        assertThat(shown).as("a followed entry; stderr: %s", Files.readString(err)).isNotNull();
        assertThat(shown).matches("\\d+\\s+GET\\s+200\\s+[0-9.]+ms\\s+" + java.util.regex.Pattern.quote(upstream.url()) + "/live\\?after=\\d+");
        assertThat(follow.isAlive()).as("it keeps following").isTrue();
      } finally {
        follow.destroy();
        follow.waitFor();
      }
      api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
    }
  }

  private static void awaitContent(Path file, String text, Process process) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      if (Files.readString(file).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("expected \"" + text + "\" in " + Files.readString(file));
  }
}
