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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restart, delete and the port pool, driven over the REST API against the running system. */
class SessionLifecycleIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static TapedeckSystem system;
  private static UpstreamServer upstream;

  @BeforeAll
  static void start() {
    upstream = UpstreamServer.start().route("GET", "/ping", req -> UpstreamResponse.text(200, "pong"));
    system = TapedeckSystem.shared();
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @Test
  void restartsOnTheOldPortAndDeleteRemovesSessionAndEntries() throws Exception {
    JsonNode session = startSession("{\"targetUrl\":\"" + upstream.url() + "\"}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(ping(port)).isEqualTo("pong");
    call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);

    JsonNode restarted = call("POST", "/api/v1/recorder/" + id + "/restart", null, 200).get("session");
    assertThat(restarted.get("status").asText()).isEqualTo("running");
    assertThat(restarted.get("listenPort").asInt()).isEqualTo(port);
    assertThat(ping(port)).isEqualTo("pong");
    JsonNode again = call("POST", "/api/v1/recorder/" + id + "/restart", null, 409);
    assertThat(again.get("error").asText()).isEqualTo("session_running");

    awaitTotal(id, 2);
    JsonNode deleted = call("DELETE", "/api/v1/recorder/" + id, null, 200);
    assertThat(deleted.get("entriesDeleted").asLong()).isEqualTo(2);
    assertThat(call("GET", "/api/v1/recorder/" + id, null, 404).get("error").asText()).isEqualTo("not_found");
    call("GET", "/api/v1/recorder/" + id + "/entries", null, 404);
    assertThat(call("GET", "/api/v1/recorder/port-check?port=" + port, null, 200).get("available").asBoolean())
        .as("the deleted session's port is free again")
        .isTrue();
  }

  @Test
  void restartTakesANewPortWhenTheOldOneIsTaken() throws Exception {
    JsonNode first = startSession("{\"targetUrl\":\"" + upstream.url() + "\"}");
    String firstId = first.get("id").asText();
    int port = first.get("listenPort").asInt();
    call("POST", "/api/v1/recorder/" + firstId + "/stop", null, 200);
    JsonNode second = startSession("{\"targetUrl\":\"" + upstream.url() + "\",\"listenPort\":" + port + "}");

    JsonNode restarted = call("POST", "/api/v1/recorder/" + firstId + "/restart", null, 200).get("session");
    int newPort = restarted.get("listenPort").asInt();
    assertThat(newPort).isNotEqualTo(port);
    assertThat(ping(newPort)).isEqualTo("pong");

    JsonNode pool = call("GET", "/api/v1/recorder/ports", null, 200);
    assertThat(pool.get("max").asInt()).isEqualTo(system.proxyPortRange().size());
    assertThat(pool.get("used").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(pool.get("details").findValuesAsText("sessionId")).contains(firstId, second.get("id").asText());

    JsonNode taken = call("GET", "/api/v1/recorder/port-check?port=" + newPort, null, 200);
    assertThat(taken.get("available").asBoolean()).isFalse();
    assertThat(taken.get("reason").asText()).isEqualTo("in_use_by_session");
    JsonNode outside = call("GET", "/api/v1/recorder/port-check?port=80", null, 200);
    assertThat(outside.get("reason").asText()).isEqualTo("outside_window");
    assertThat(call("GET", "/api/v1/recorder/port-check", null, 400).get("error").asText()).isEqualTo("validation_error");

    call("DELETE", "/api/v1/recorder/" + firstId, null, 200);
    call("DELETE", "/api/v1/recorder/" + second.get("id").asText(), null, 200);
  }

  private static JsonNode startSession(String body) throws Exception {
    return call("POST", "/api/v1/recorder/start", body, 201).get("session");
  }

  private static String ping(int port) throws Exception {
    return CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void awaitTotal(String id, long total) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("total").asLong() >= total) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("session " + id + " did not reach " + total + " entries");
  }

  private static JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
    return ApiClient.admin(system).call(method, path, body, expectedStatus);
  }
}
