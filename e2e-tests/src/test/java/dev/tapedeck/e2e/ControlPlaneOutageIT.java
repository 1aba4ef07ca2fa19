package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Proxy processes keep serving and recording their last known sessions while control-service is
 * down, and follow the session set again within a second of its return.
 */
class ControlPlaneOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void proxiesServeThroughAControlPlaneOutageAndConvergeAfter() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ServiceProcess control = system.service("control");
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/up", req -> UpstreamResponse.text(200, "up"))) {
      JsonNode session = start(system, upstream.url());
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();

      control.stop();
      try {
        for (int i = 0; i < 3; i++) {
          assertThat(get("http://127.0.0.1:" + port + "/up?during-outage=" + i)).isEqualTo("up");
        }
      } finally {
        control.restart();
        control.awaitReady(Duration.ofSeconds(60));
      }

      // What was captured during the outage went proxy -> Kafka -> storage without control.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long total = 0;
      while (total < 3 && System.nanoTime() < deadline) {
        total = call(system, "GET", "/api/v1/recorder/" + id + "/entries", null).get("total").asLong();
        Thread.sleep(100);
      }
      assertThat(total).isEqualTo(3);

      // The proxy re-subscribed: a session started now listens within a second.
      long before = System.nanoTime();
      JsonNode fresh = start(system, upstream.url());
      int freshPort = fresh.get("listenPort").asInt();
      String answer = null;
      while (answer == null && System.nanoTime() - before < Duration.ofSeconds(1).toNanos()) {
        try {
          answer = get("http://127.0.0.1:" + freshPort + "/up");
        } catch (java.io.IOException e) {
          Thread.sleep(20);
        }
      }
      assertThat(answer).as("new session served within a second of start").isEqualTo("up");
      call(system, "DELETE", "/api/v1/recorder/" + id, null);
      call(system, "DELETE", "/api/v1/recorder/" + fresh.get("id").asText(), null);
    }
  }

  private static String get(String url) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static JsonNode start(TapedeckSystem system, String target) throws Exception {
    return call(system, "POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + target + "\"}").get("session");
  }

  private static JsonNode call(TapedeckSystem system, String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(system.controlUrl() + path))
            .header("Authorization", "Bearer " + system.adminKey())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s -> %s", method, path, response.body()).isLessThan(300);
    return JSON.readTree(response.body());
  }
}
