package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A running session stops itself at {@code expiresAt}, and a stopped session is deleted with its
 * entries once the retention period has passed, with both periods configured short on a
 * control-service restarted for this test (and restarted back to its defaults after).
 */
class SessionExpiryRetentionIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void sessionExpiresThenItAndItsEntriesAreDeletedAfterRetention() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ServiceProcess control = system.service("control");
    ApiClient api = ApiClient.admin(system);
    try (UpstreamServer upstream =
            UpstreamServer.start().route("GET", "/hello", req -> UpstreamResponse.text(200, "hi"));
        MongoClient mongo = MongoClients.create(system.mongoUri())) {
      control.restartWith(
          Map.of(
              "TAPEDECK_SESSIONS_TTL", "3s",
              "TAPEDECK_SESSIONS_RETENTION", "4s",
              "TAPEDECK_SESSIONS_EXPIRY_CHECK", "200ms"));
      control.awaitReady(Duration.ofSeconds(60));
      try {
        JsonNode session =
            api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
                .get("session");
        String id = session.get("id").asText();
        Instant expiresAt = Instant.parse(session.get("expiresAt").asText());
        Instant createdAt = Instant.parse(session.get("createdAt").asText());
        assertThat(Duration.between(createdAt, expiresAt)).isEqualTo(Duration.ofSeconds(3));
        // Right after control-service restarts, the proxy may still be reconnecting its watch.
        assertThat(getWhenListening(session.get("listenPort").asInt())).isEqualTo("hi");
        api.awaitEntryTotal(id, 1, Duration.ofSeconds(20));

        JsonNode stopped = awaitStatus(api, id, "stopped", Duration.ofSeconds(10));
        Instant stoppedAt = Instant.parse(stopped.get("stoppedAt").asText());
        assertThat(stoppedAt).as("stopped at expiry, not before").isAfterOrEqualTo(expiresAt);
        assertThat(Duration.between(expiresAt, stoppedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(Instant.parse(stopped.get("retainedUntil").asText()))
            .isEqualTo(stoppedAt.plusSeconds(4));
        // Until retention passes, the expired session's entries stay readable.
        assertThat(api.call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("total").asLong())
            .isEqualTo(1);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = 200;
        while (status != 404 && System.nanoTime() < deadline) {
          Thread.sleep(200);
          status = api.send("GET", "/api/v1/recorder/" + id, null).statusCode();
        }
        assertThat(status).as("session gone after retention").isEqualTo(404);
        assertThat(Instant.now()).isAfterOrEqualTo(stoppedAt.plusSeconds(4));
        long left =
            mongo.getDatabase("tapedeck").getCollection("entries").countDocuments(Filters.eq("sessionId", id));
        assertThat(left).as("its entries deleted from the database").isZero();
      } finally {
        control.restart();
        control.awaitReady(Duration.ofSeconds(60));
      }
    }
  }

  private static JsonNode awaitStatus(ApiClient api, String id, String status, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode session = api.call("GET", "/api/v1/recorder/" + id, null, 200).get("session");
      if (status.equals(session.get("status").asText()) || System.nanoTime() > deadline) {
        assertThat(session.get("status").asText()).isEqualTo(status);
        return session;
      }
      Thread.sleep(100);
    }
  }


  private static String getWhenListening(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return get(port);
      } catch (java.net.ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static String get(int port) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
