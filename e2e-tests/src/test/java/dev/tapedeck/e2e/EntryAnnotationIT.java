package dev.tapedeck.e2e;

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
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tags, notes and deleting one entry, over the REST API. */
class EntryAnnotationIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void annotatesAndDeletesEntries() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/a", req -> UpstreamResponse.text(200, "a"))) {
      JsonNode session = call(system, "POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
          .get("session");
      String base = "/api/v1/recorder/" + session.get("id").asText();
      for (int i = 0; i < 2; i++) {
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/a")).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      JsonNode entries = awaitEntries(system, base, 2);
      String first = entries.get(0).get("id").asText();
      String second = entries.get(1).get("id").asText();

      JsonNode tagged =
          call(system, "PATCH", base + "/entries/" + first, "{\"tags\":[\"bug\",\"timeout\"],\"notes\":\"took 8 s\"}", 200);
      assertThat(tagged.get("entry").get("tags").toString()).isEqualTo("[\"bug\",\"timeout\"]");
      assertThat(tagged.get("entry").get("notes").asText()).isEqualTo("took 8 s");
      JsonNode notesOnly = call(system, "PATCH", base + "/entries/" + first, "{\"notes\":\"fixed\"}", 200);
      assertThat(notesOnly.get("entry").get("tags").toString()).as("tags kept").isEqualTo("[\"bug\",\"timeout\"]");
      assertThat(call(system, "GET", base + "/entries/" + first, null, 200).get("entry").get("notes").asText())
          .isEqualTo("fixed");

      JsonNode invalid = call(system, "PATCH", base + "/entries/" + first, "{\"tags\":[\"\"]}", 400);
      assertThat(invalid.get("fields").findValuesAsText("field")).containsExactly("tags");
      call(system, "PATCH", base + "/entries/" + first, "{}", 400);
      call(system, "PATCH", base + "/entries/no-such-entry", "{\"notes\":\"x\"}", 404);

      assertThat(call(system, "DELETE", base + "/entries/" + second, null, 200).get("deleted").asBoolean()).isTrue();
      call(system, "GET", base + "/entries/" + second, null, 404);
      call(system, "DELETE", base + "/entries/" + second, null, 404);
      JsonNode left = call(system, "GET", base + "/entries", null, 200);
      assertThat(left.get("total").asLong()).isEqualTo(1);
      assertThat(left.get("entries").get(0).get("id").asText()).isEqualTo(first);
      call(system, "DELETE", base, null, 200);
    }
  }

  private static JsonNode awaitEntries(TapedeckSystem system, String base, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode page = call(system, "GET", base + "/entries", null, 200);
      if (page.get("entries").size() >= count) {
        return page.get("entries");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + count + " entries in " + base);
  }

  private static JsonNode call(TapedeckSystem system, String method, String path, String body, int expected)
      throws Exception {
    return ApiClient.admin(system).call(method, path, body, expected);
  }
}
