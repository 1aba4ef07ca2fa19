package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import dev.tapedeck.testkit.WebSocketCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The live stream of a session's entries, over WebSocket and over server-sent events. */
class LiveStreamIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void webSocketAndSseCarryEachStoredEntry() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/live", req -> UpstreamResponse.json(200, "{\"live\":true}"))) {
      JsonNode session = start(system, upstream.url());
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();

      WebSocketCollector wsCollector = new WebSocketCollector();
      BlockingQueue<String> wsMessages = wsCollector.messages();
      WebSocket ws =
          CLIENT
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + system.adminKey())
              .buildAsync(URI.create(wsUrl(system, id)), wsCollector)
              .get(10, TimeUnit.SECONDS);

      BlockingQueue<String> sseData = new LinkedBlockingQueue<>();
      HttpResponse<Stream<String>> sse = openEvents(system, id, sseData);

      // Subscriptions settle in moments; send until both streams have seen an entry.
      String wsMessage = null;
      String sseMessage = null;
      for (int attempt = 0; attempt < 10 && (wsMessage == null || sseMessage == null); attempt++) {
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/live?attempt=" + attempt)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (wsMessage == null) {
          wsMessage = wsMessages.poll(2, TimeUnit.SECONDS);
        }
        if (sseMessage == null) {
          sseMessage = sseData.poll(2, TimeUnit.SECONDS);
        }
      }
      assertThat(wsMessage).as("a WebSocket message").isNotNull();
      assertThat(sseMessage).as("an SSE message").isNotNull();
      for (String message : new String[] {wsMessage, sseMessage}) {
        JsonNode m = JSON.readTree(message);
        assertThat(m.get("type").asText()).isEqualTo("entry");
        assertThat(m.get("entry").get("entryType").asText()).isEqualTo("http");
        assertThat(m.get("entry").get("request").get("url").asText()).startsWith(upstream.url() + "/live?attempt=");
        assertThat(m.get("entry").get("response").get("statusCode").asInt()).isEqualTo(200);
        assertThat(m.get("entry").get("timings").get("totalMs").asDouble()).isPositive();
      }
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      sse.body().close();
      stop(system, id);
    }
  }

  /**
   * While nobody watches any session, control reads no entry event at all (its feed idles with the
   * partitions paused); the first subscriber's stream still carries the next entry.
   */
  @Test
  void controlReadsNoEventWhileNobodyWatches() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ServiceProcess control = system.service("control");
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/quiet", req -> UpstreamResponse.json(200, "{}"))) {
      JsonNode session = start(system, upstream.url());
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();
      // A feed that was following (an earlier test's subscriber) pauses within one poll.
      Thread.sleep(1_000);
      double before = ServiceMetrics.value(control, "tapedeck_live_events_read_total");
      for (int i = 0; i < 5; i++) {
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quiet?n=" + i)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      ApiClient.admin(system).awaitEntryTotal(id, 5, Duration.ofSeconds(30));
      Thread.sleep(1_000);
      assertThat(ServiceMetrics.value(control, "tapedeck_live_events_read_total"))
          .as("entry events control read while nobody watched")
          .isEqualTo(before);

      BlockingQueue<String> sseData = new LinkedBlockingQueue<>();
      HttpResponse<Stream<String>> sse = openEvents(system, id, sseData);
      // The subscription settles in moments after the answer: send until the stream has an entry.
      String message = null;
      for (int attempt = 0; attempt < 10 && message == null; attempt++) {
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quiet?n=watched-" + attempt)).build(),
            HttpResponse.BodyHandlers.discarding());
        message = sseData.poll(2, TimeUnit.SECONDS);
      }
      assertThat(message).as("an entry after subscribing, live").isNotNull();
      assertThat(JSON.readTree(message).at("/entry/request/url").asText()).contains("/quiet?n=watched-");
      assertThat(ServiceMetrics.value(control, "tapedeck_live_events_read_total")).isGreaterThan(before);
      sse.body().close();
      stop(system, id);
    }
  }

  @Test
  void webSocketHandshakeNeedsAKeyAndAVisibleSession() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    Throwable refused =
        catchThrowable(
            () ->
                CLIENT
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(wsUrl(system, "any")), new WebSocketCollector())
                    .join());
    assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);

    WebSocketCollector collector = new WebSocketCollector();
    CLIENT
        .newWebSocketBuilder()
        .buildAsync(URI.create(wsUrl(system, "no-such-session") + "?api_key=" + system.adminKey()), collector)
        .get(10, TimeUnit.SECONDS);
    assertThat(collector.closed().get(10, TimeUnit.SECONDS)).isEqualTo(4404);
  }

  /**
   * Opens the session's SSE stream (asserting a 200) and puts each event's data into {@code data}
   * as it comes; closing the response's body ends it.
   */
  private static HttpResponse<Stream<String>> openEvents(
      TapedeckSystem system, String id, BlockingQueue<String> data) throws Exception {
    HttpResponse<Stream<String>> sse =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/" + id + "/events"))
                .header("X-API-Key", system.adminKey())
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(sse.statusCode()).isEqualTo(200);
    Thread.ofVirtual()
        .start(() -> sse.body().filter(l -> l.startsWith("data:")).forEach(l -> data.add(l.substring(5).trim())));
    return sse;
  }

  private static String wsUrl(TapedeckSystem system, String id) {
    return system.controlUrl().replace("http://", "ws://") + "/api/v1/recorder/" + id + "/ws";
  }

  private static JsonNode start(TapedeckSystem system, String target) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/start"))
                .header("Authorization", "Bearer " + system.adminKey())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetUrl\":\"" + target + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("session");
  }

  private static void stop(TapedeckSystem system, String id) throws Exception {
    CLIENT.send(
        HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/" + id + "/stop"))
            .header("Authorization", "Bearer " + system.adminKey())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
