package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.WebSocketCollector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket conversation through a session of the running system: relayed both ways, recorded
 * with every frame, shown by the API and exported in Chrome's {@code _webSocketMessages} form.
 */
class WebSocketIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aWebSocketConversationIsRelayedRecordedAndExported() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer upstream =
          vertx
              .createHttpServer()
              .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("stock:" + text.length())))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:" + upstream.actualPort() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      WebSocketCollector received = new WebSocketCollector();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + session.get("listenPort").asInt() + "/live"), received)
              .get(10, TimeUnit.SECONDS);
      ws.sendText("umbrella", true).get(5, TimeUnit.SECONDS);
      assertThat(received.messages().poll(5, TimeUnit.SECONDS)).isEqualTo("stock:8");
      ws.sendText("kettle", true).get(5, TimeUnit.SECONDS);
      assertThat(received.messages().poll(5, TimeUnit.SECONDS)).isEqualTo("stock:6");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

      api.awaitEntryTotal(id, 1, Duration.ofSeconds(30));
      JsonNode entry = api.call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("entries").get(0);
      assertThat(entry.get("entryType").asText()).isEqualTo("websocket");
      assertThat(entry.at("/response/statusCode").asInt()).isEqualTo(101);
      JsonNode frames = entry.get("frames");
      assertThat(frames.get(0).get("type").asText()).isEqualTo("send");
      assertThat(frames.get(0).get("text").asText()).isEqualTo("umbrella");
      assertThat(frames.get(1).get("type").asText()).isEqualTo("receive");
      assertThat(frames.get(1).get("text").asText()).isEqualTo("stock:8");
      assertThat(frames.get(frames.size() - 1).get("opcode").asInt()).isEqualTo(8);

      String har = api.send("POST", "/api/v1/recorder/" + id + "/export", "{}").body();
      assertThat(HarSchema.validate(har)).isEmpty();
      JsonNode messages = JSON.readTree(har).at("/log/entries/0/_webSocketMessages");
      assertThat(messages.isArray()).isTrue();
      assertThat(messages.toString()).contains("umbrella", "stock:8", "kettle");
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
