package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.TapedeckSystem;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HAR import over multipart upload: a Chromium-style HAR (pages, timings, base64 bodies,
 * WebSocket messages) into a new session, entries that cannot be read reported by index while
 * the rest are kept, and broken files refused without creating anything.
 */
class HarImportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aChromiumHarBecomesASessionThatExportsAgain() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    HttpResponse<String> response = upload(system, "chromium.har", Map.of("name", "from-chrome"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode result = JSON.readTree(response.body());
    assertThat(result.get("imported").asLong()).isEqualTo(4);
    assertThat(result.get("failed").asInt()).isZero();
    JsonNode session = result.get("session");
    assertThat(session.get("name").asText()).isEqualTo("from-chrome");
    assertThat(session.get("status").asText()).isEqualTo("stopped");
    assertThat(session.get("entryCount").asLong()).isEqualTo(4);
    String id = session.get("id").asText();

    JsonNode entries = api.call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("entries");
    assertThat(entries).hasSize(4);
    JsonNode page = entries.get(0);
    assertThat(page.get("request").get("url").asText()).isEqualTo("https://shop.example.com/?ref=mail");
    assertThat(page.get("startedAt").asText()).isEqualTo("2026-11-20T09:00:00.010Z");
    assertThat(page.get("response").get("body").get("text").asText()).contains("Welcome to the shop");
    assertThat(page.get("timings").get("dnsMs").asDouble()).isEqualTo(10.5);
    assertThat(page.get("timings").get("tlsMs").asDouble()).isEqualTo(30.2);
    assertThat(page.get("timings").get("totalMs").asDouble()).isEqualTo(120.75);
    assertThat(entries.get(1).get("request").get("body").get("text").asText()).contains("umbrella-42");
    assertThat(entries.get(2).get("response").get("body").get("base64").asText()).isEqualTo("iVBORw0KGgo=");
    assertThat(entries.get(3).get("entryType").asText()).isEqualTo("websocket");

    // Searchable like captured traffic, and exported again as a valid HAR.
    assertThat(api.call("GET", "/api/v1/recorder/search?q=umbrella-42&sessionId=" + id, null, 200).get("total").asLong())
        .isEqualTo(1);
    HttpResponse<String> har = api.send("POST", "/api/v1/recorder/" + id + "/export", "{}");
    assertThat(har.statusCode()).isEqualTo(200);
    assertThat(HarSchema.validate(har.body())).isEmpty();
    JsonNode exported = JSON.readTree(har.body()).at("/log/entries");
    assertThat(exported.size()).isEqualTo(4);
    // The first entry's timings as Chromium gave them (blocked 2.1, dns 10.5, connect 45.0 with
    // ssl 30.2 inside it, send 0.3, wait 60.1, receive 2.75, time 120.75), in whole milliseconds.
    JsonNode first = exported.get(0);
    assertThat(first.get("serverIPAddress").asText()).isEqualTo("93.184.216.34");
    assertThat(first.get("timings").toString())
        .isEqualTo("{\"blocked\":2,\"dns\":11,\"connect\":45,\"send\":0,\"wait\":60,\"receive\":3,\"ssl\":30}");
    assertThat(first.get("time").asInt()).isEqualTo(121);

    // An imported session has no proxy to run.
    assertThat(api.call("POST", "/api/v1/recorder/" + id + "/restart", null, 409).get("error").asText())
        .isEqualTo("session_imported");

    // Importing into an existing session adds to it (200, same session).
    HttpResponse<String> again = upload(system, "partly-broken.har", Map.of("sessionId", id));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).at("/session/entryCount").asLong()).isEqualTo(6);
    api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
  }

  @Test
  void unreadableEntriesAreReportedAndTheOthersKept() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    JsonNode result = JSON.readTree(upload(system, "partly-broken.har", Map.of()).body());
    assertThat(result.get("imported").asLong()).isEqualTo(2);
    assertThat(result.get("failed").asInt()).isEqualTo(3);
    List<Integer> indexes = new ArrayList<>();
    result.get("errors").forEach(e -> indexes.add(e.get("index").asInt()));
    assertThat(indexes).containsExactly(1, 2, 3);
    assertThat(result.get("errors").get(0).get("message").asText()).contains("request.url");
    assertThat(result.get("errors").get(1).get("message").asText()).contains("startedDateTime");
    assertThat(result.get("errors").get(2).get("message").asText()).contains("response");
    String id = result.at("/session/id").asText();
    assertThat(result.at("/session/name").asText()).isEqualTo("partly-broken");

    JsonNode truncated = JSON.readTree(upload(system, "truncated.har", Map.of()).body());
    assertThat(truncated.get("imported").asLong()).as("the entry before the cut is kept").isEqualTo(1);
    assertThat(truncated.get("failed").asInt()).isEqualTo(1);
    assertThat(truncated.at("/errors/0/message").asText()).contains("breaks off");

    int sessionsBefore = api.call("GET", "/api/v1/recorder/sessions", null, 200).get("total").asInt();
    HttpResponse<String> notHar = upload(system, "not-a-har.json", Map.of());
    assertThat(notHar.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notHar.body()).get("error").asText()).isEqualTo("invalid_har");
    HttpResponse<String> noFile = upload(system, null, Map.of("name", "x"));
    assertThat(noFile.statusCode()).isEqualTo(400);
    assertThat(noFile.body()).contains("file");
    assertThat(api.call("GET", "/api/v1/recorder/sessions", null, 200).get("total").asInt())
        .as("a refused file creates no session")
        .isEqualTo(sessionsBefore);

    api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    api.call("DELETE", "/api/v1/recorder/" + truncated.at("/session/id").asText(), null, 200);
  }

  private static HttpResponse<String> upload(TapedeckSystem system, String resource, Map<String, String> fields)
      throws Exception {
    byte[] file = null;
    if (resource != null) {
      try (InputStream in = HarImportIT.class.getResourceAsStream("/har/" + resource)) {
        file = in.readAllBytes();
      }
    }
    return ApiClient.admin(system).postMultipart("/api/v1/recorder/import", new LinkedHashMap<>(fields), resource, file);
  }
}
