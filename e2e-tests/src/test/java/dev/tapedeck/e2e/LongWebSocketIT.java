package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 20 MiB WebSocket conversation through a session of the running system (320 binary messages of
 * 64 KiB each way) is recorded whole, as linked entries of one stream, each under the record
 * limit: the proxy (256 MiB heap) holds one part at a time, not the whole conversation.
 */
class LongWebSocketIT {
  private static final int MESSAGES = 320;
  private static final int SIZE = 64 * 1024;

  @Test
  void aTwentyMebibyteConversationIsStoredAsLinkedPartsWithEveryFrame() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess proxy = system.service("proxy");
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer echo =
          vertx
              .createHttpServer()
              .webSocketHandler(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:" + echo.actualPort() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      double trimmedBefore = ServiceMetrics.value(proxy, "tapedeck_capture_trimmed_total");
      CountDownLatch echoed = new CountDownLatch(MESSAGES);
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + session.get("listenPort").asInt() + "/feed"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                      if (last) {
                        echoed.countDown();
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      for (int i = 0; i < MESSAGES; i++) {
        ws.sendBinary(ByteBuffer.wrap(new byte[SIZE]), true).get(10, TimeUnit.SECONDS);
      }
      assertThat(echoed.await(60, TimeUnit.SECONDS)).isTrue();
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      List<JsonNode> parts = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        parts.clear();
        // One entry at a time: each part holds megabytes of frames.
        long total = api.call("GET", "/api/v1/recorder/" + id + "/entries?limit=1", null, 200).get("total").asLong();
        for (int offset = 0; offset < total; offset++) {
          parts.add(api.call("GET", "/api/v1/recorder/" + id + "/entries?offset=" + offset + "&limit=1", null, 200).get("entries").get(0));
        }
        if (parts.stream().anyMatch(p -> p.at("/stream/last").asBoolean())) {
          break;
        }
        Thread.sleep(500);
      }
      parts.sort((a, b) -> Integer.compare(a.at("/stream/part").asInt(), b.at("/stream/part").asInt()));
      assertThat(parts.size()).as("linked parts").isGreaterThan(3);
      String streamId = parts.get(0).get("id").asText();
      long sent = 0;
      long received = 0;
      for (int i = 0; i < parts.size(); i++) {
        JsonNode part = parts.get(i);
        assertThat(part.get("entryType").asText()).isEqualTo("websocket");
        assertThat(part.at("/stream/streamId").asText()).isEqualTo(streamId);
        assertThat(part.at("/stream/part").asInt()).isEqualTo(i + 1);
        assertThat(part.at("/stream/last").asBoolean()).isEqualTo(i == parts.size() - 1);
        assertThat(part.has("loss")).as("part %d lost nothing", i + 1).isFalse();
        for (JsonNode frame : part.get("frames")) {
          if (frame.get("opcode").asInt() == 2) {
            assertThat(frame.get("size").asInt()).isEqualTo(SIZE);
            if (frame.get("type").asText().equals("send")) {
              sent++;
            } else {
              received++;
            }
          }
        }
      }
      assertThat(sent).isEqualTo(MESSAGES);
      assertThat(received).isEqualTo(MESSAGES);
      assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_trimmed_total") - trimmedBefore).isZero();
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
