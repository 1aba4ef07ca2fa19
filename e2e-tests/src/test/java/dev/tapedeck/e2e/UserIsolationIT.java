package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import dev.tapedeck.testkit.WebSocketCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Users with their own keys see and touch only their own sessions; the admin sees all. */
class UserIsolationIT {

  @Test
  void usersSeeOnlyTheirOwnSessionsAndRevokedKeysStopWorking() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    String admin = system.adminKey();
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/x", req -> UpstreamResponse.text(200, "x"))) {
      JsonNode alice = call(admin, "POST", "/api/v1/admin/users", "{\"name\":\"alice\"}", 201);
      JsonNode bob = call(admin, "POST", "/api/v1/admin/users", "{\"name\":\"bob\"}", 201);
      String aliceKey = alice.get("apiKey").asText();
      String bobKey = bob.get("apiKey").asText();
      assertThat(aliceKey).startsWith("tdk_").isNotEqualTo(bobKey);
      JsonNode listed = call(admin, "GET", "/api/v1/admin/users", null, 200);
      assertThat(listed.toString()).contains("alice", "bob").doesNotContain(aliceKey, bobKey);

      String body = "{\"targetUrl\":\"" + upstream.url() + "\"}";
      String a1 = call(aliceKey, "POST", "/api/v1/recorder/start", body, 201).get("session").get("id").asText();
      String a2 = call(aliceKey, "POST", "/api/v1/recorder/start", body, 201).get("session").get("id").asText();
      JsonNode third = call(aliceKey, "POST", "/api/v1/recorder/start", body, 409);
      assertThat(third.get("error").asText()).isEqualTo("session_limit_user");

      // Bob sees none of Alice's sessions, and cannot touch them.
      assertThat(call(bobKey, "GET", "/api/v1/recorder/sessions", null, 200).get("sessions")).isEmpty();
      assertThat(call(bobKey, "GET", "/api/v1/recorder/" + a1, null, 404).get("error").asText()).isEqualTo("not_found");
      call(bobKey, "GET", "/api/v1/recorder/" + a1 + "/entries", null, 404);
      call(bobKey, "POST", "/api/v1/recorder/" + a1 + "/stop", null, 404);
      call(bobKey, "DELETE", "/api/v1/recorder/" + a1, null, 404);
      call(bobKey, "POST", "/api/v1/recorder/" + a1 + "/export", null, 404);
      call(bobKey, "GET", "/api/v1/recorder/" + a1 + "/ingestion?wait=0", null, 404);
      assertThat(call(null, "GET", "/api/v1/recorder/" + a1 + "/ingestion?wait=0", null, 401).get("error").asText())
          .isEqualTo("unauthorized");
      call(aliceKey, "GET", "/api/v1/recorder/" + a1 + "/ingestion?wait=0", null, 200);
      assertThat(call(bobKey, "GET", "/api/v1/admin/users", null, 403).get("error").asText()).isEqualTo("forbidden");

      // Nor her entries, her live streams or her saved configs.
      ApiClient asAlice = ApiClient.admin(system).withKey(aliceKey);
      JsonNode a1Session = call(aliceKey, "GET", "/api/v1/recorder/" + a1, null, 200).get("session");
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a1Session.get("listenPort").asInt() + "/x")).build(),
              HttpResponse.BodyHandlers.discarding());
      asAlice.awaitEntryTotal(a1, 1, Duration.ofSeconds(30));
      String entryId =
          call(aliceKey, "GET", "/api/v1/recorder/" + a1 + "/entries", null, 200).get("entries").get(0).get("id").asText();
      String entryPath = "/api/v1/recorder/" + a1 + "/entries/" + entryId;
      call(bobKey, "GET", entryPath, null, 404);
      call(bobKey, "PATCH", entryPath, "{\"notes\":\"mine now\"}", 404);
      call(bobKey, "DELETE", entryPath, null, 404);
      call(aliceKey, "GET", entryPath, null, 200);
      assertThat(ApiClient.admin(system).withKey(bobKey).send("GET", "/api/v1/recorder/" + a1 + "/events", null).statusCode())
          .isEqualTo(404);
      WebSocketCollector bobStream = new WebSocketCollector();
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .header("X-API-Key", bobKey)
          .buildAsync(URI.create(system.controlUrl().replace("http://", "ws://") + "/api/v1/recorder/" + a1 + "/ws"), bobStream)
          .get(10, TimeUnit.SECONDS);
      assertThat(bobStream.closed().get(10, TimeUnit.SECONDS)).as("Bob's WebSocket on Alice's session").isEqualTo(4404);

      String configId =
          call(aliceKey, "POST", "/api/v1/recorder/configs", "{\"name\":\"alice-config\",\"targetUrl\":\"http://a\"}", 201)
              .get("id")
              .asText();
      assertThat(call(bobKey, "GET", "/api/v1/recorder/configs", null, 200).toString()).doesNotContain(configId);
      call(bobKey, "GET", "/api/v1/recorder/configs/" + configId + "/export", null, 404);
      call(bobKey, "DELETE", "/api/v1/recorder/configs/" + configId, null, 404);
      call(aliceKey, "DELETE", "/api/v1/recorder/configs/" + configId, null, 200);

      // Alice sees exactly her two; the admin sees them too.
      assertThat(call(aliceKey, "GET", "/api/v1/recorder/sessions", null, 200).get("sessions").findValuesAsText("id"))
          .containsExactlyInAnyOrder(a1, a2);
      assertThat(call(admin, "GET", "/api/v1/recorder/sessions", null, 200).get("sessions").findValuesAsText("id"))
          .contains(a1, a2);

      call(aliceKey, "DELETE", "/api/v1/recorder/" + a1, null, 200);
      call(admin, "DELETE", "/api/v1/admin/users/" + alice.get("user").get("id").asText(), null, 200);
      assertThat(call(aliceKey, "GET", "/api/v1/recorder/sessions", null, 401).get("error").asText())
          .isEqualTo("unauthorized");
      call(admin, "DELETE", "/api/v1/recorder/" + a2, null, 200);
      call(admin, "DELETE", "/api/v1/admin/users/" + bob.get("user").get("id").asText(), null, 200);
      call(admin, "DELETE", "/api/v1/admin/users/" + bob.get("user").get("id").asText(), null, 404);
    }
  }

  private static JsonNode call(String key, String method, String path, String body, int expectedStatus)
      throws Exception {
    return ApiClient.admin(TapedeckSystem.shared()).withKey(key).call(method, path, body, expectedStatus);
  }
}
