package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import dev.tapedeck.testkit.WebSocketCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The documented limits, at their default values, against the running system. */
class SessionLimitsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final int MAX_RUNNING = 30;
  private static final int MAX_ENTRIES = 1000;

  @Test
  void theThirtyFirstRunningSessionIsRefused() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    String body = "{\"targetUrl\":\"http://127.0.0.1:9\"}";
    List<String> started = new ArrayList<>();
    try {
      int running = runningSessions(api);
      for (int i = running; i < MAX_RUNNING; i++) {
        started.add(api.call("POST", "/api/v1/recorder/start", body, 201).get("session").get("id").asText());
      }
      assertThat(runningSessions(api)).isEqualTo(MAX_RUNNING);
      JsonNode refused = api.call("POST", "/api/v1/recorder/start", body, 409);
      assertThat(refused.get("error").asText()).isEqualTo("session_limit");
      assertThat(refused.get("message").asText()).contains("30");
      assertThat(api.call("GET", "/api/v1/recorder/ports", null, 200).get("used").asInt())
          .isEqualTo(MAX_RUNNING);

      // Stopping one makes room for one.
      api.call("POST", "/api/v1/recorder/" + started.remove(0) + "/stop", null, 200);
      started.add(api.call("POST", "/api/v1/recorder/start", body, 201).get("session").get("id").asText());
    } finally {
      for (String id : started) {
        api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
      }
    }
  }

  @Test
  void theThousandAndFirstEntryEvictsTheFirstAndTheWebSocketSaysSo() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/n", req -> UpstreamResponse.text(200, "ok"))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      String base = "http://127.0.0.1:" + session.get("listenPort").asInt() + "/n?i=";
      WebSocketCollector live = new WebSocketCollector();
      WebSocket ws =
          CLIENT
              .newWebSocketBuilder()
              .header("X-API-Key", system.adminKey())
              .buildAsync(
                  URI.create(system.controlUrl().replace("http://", "ws://") + "/api/v1/recorder/" + id + "/ws"),
                  live)
              .get(10, TimeUnit.SECONDS);

      send(base + 1);
      api.awaitEntryTotal(id, 1, Duration.ofSeconds(60));
      String firstId = page(api, id, "oldest", 1).get(0).get("id").asText();
      for (int n = 2; n <= MAX_ENTRIES + 1; n++) {
        send(base + n);
      }
      api.awaitEntryTotal(id, MAX_ENTRIES, Duration.ofSeconds(60));

      String evicted = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (evicted == null && System.nanoTime() < deadline) {
        String message = live.messages().poll(1, TimeUnit.SECONDS);
        JsonNode entry = message == null ? null : JSON.readTree(message).get("entry");
        if (entry != null && "__evict__".equals(entry.get("id").asText())) {
          evicted = entry.get("notes").asText();
        }
      }
      assertThat(evicted).as("the WebSocket's eviction message names the first entry").isEqualTo(firstId);

      JsonNode oldest = page(api, id, "oldest", 1).get(0);
      JsonNode newest = page(api, id, "newest", 1).get(0);
      assertThat(oldest.get("request").get("url").asText()).endsWith("/n?i=2");
      assertThat(newest.get("request").get("url").asText()).endsWith("/n?i=" + (MAX_ENTRIES + 1));
      assertThat(api.send("GET", "/api/v1/recorder/" + id + "/entries/" + firstId, null).statusCode())
          .isEqualTo(404);

      // Cursor paging walks all 1,000 once, newest first, and says when it is done.
      Set<String> seen = new LinkedHashSet<>();
      String cursor = "";
      int pages = 0;
      while (cursor != null) {
        JsonNode page =
            api.call("GET", "/api/v1/recorder/" + id + "/entries?order=newest&limit=400&cursor=" + cursor, null, 200);
        page.get("entries").forEach(e -> seen.add(e.get("id").asText()));
        cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        pages++;
      }
      assertThat(seen).hasSize(MAX_ENTRIES);
      assertThat(pages).isEqualTo(3);
      assertThat(api.call("GET", "/api/v1/recorder/" + id + "/entries?cursor=abc&offset=5", null, 400).toString())
          .contains("cursor", "offset");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  private static int runningSessions(ApiClient api) throws Exception {
    int running = 0;
    for (JsonNode s : api.call("GET", "/api/v1/recorder/sessions", null, 200).get("sessions")) {
      if ("running".equals(s.get("status").asText())) {
        running++;
      }
    }
    return running;
  }

  private static JsonNode page(ApiClient api, String id, String order, int limit) throws Exception {
    return api.call(
            "GET", "/api/v1/recorder/" + id + "/entries?order=" + order + "&limit=" + limit, null, 200)
        .get("entries");
  }

  private static void send(String url) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

}
