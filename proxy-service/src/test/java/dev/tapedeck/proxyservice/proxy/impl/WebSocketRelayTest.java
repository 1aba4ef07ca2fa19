package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WebSocket through a reverse session: a real JDK client, a real Vert.x WebSocket upstream. */
class WebSocketRelayTest extends ProxyTestBase {

  private int echoUpstream() throws Exception {
    HttpServer server =
        await(
            vertx
                .createHttpServer()
                .webSocketHandler(
                    ws -> {
                      if (ws.path().equals("/deny")) {
                        ws.reject(403);
                        return;
                      }
                      ws.textMessageHandler(text -> ws.writeTextMessage("echo:" + text));
                      ws.binaryMessageHandler(bytes -> ws.writeBinaryMessage(Buffer.buffer().appendBuffer(bytes).appendByte((byte) 9)));
                    })
                .listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  @Test
  void relaysTextAndBinaryFramesBothWaysAndRecordsEachFrame() throws Exception {
    int upstreamPort = echoUpstream();
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + upstreamPort, true, 1 << 20, 1));
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("X-Client", "jdk")
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat?room=1"), collector(received))
            .get(10, TimeUnit.SECONDS);

    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");
    ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(List.of(1, 2, 3, 9));
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.WEBSOCKET);
    assertThat(x.getRequest().getUrl()).isEqualTo("ws://127.0.0.1:" + upstreamPort + "/chat?room=1");
    assertThat(x.getRequest().getHeadersList()).anyMatch(h -> h.getName().equals("X-Client") && h.getValue().equals("jdk"));
    assertThat(x.getResponse().getStatusCode()).isEqualTo(101);
    List<Frame> data = x.getFramesList().stream().filter(f -> f.getOpcode() == 1 || f.getOpcode() == 2).toList();
    assertThat(data).extracting(Frame::getDirection)
        .containsExactly(Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT, Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT);
    assertThat(data.get(0).getData().toStringUtf8()).isEqualTo("hello");
    assertThat(data.get(1).getData().toStringUtf8()).isEqualTo("echo:hello");
    assertThat(data.get(2).getOpcode()).isEqualTo(2);
    assertThat(data.get(2).getData().toByteArray()).containsExactly(1, 2, 3);
    assertThat(data.get(3).getSize()).isEqualTo(4);
    assertThat(data).allSatisfy(f -> assertThat(f.getTimeUnixMicros()).isPositive());
    assertThat(x.getFramesList()).anyMatch(f -> f.getOpcode() == 8);
    assertThat(x.getError()).isEmpty();
  }

  @Test
  void aRefusedHandshakeReachesTheClientWithTheUpstreamStatus() throws Exception {
    int upstreamPort = echoUpstream();
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + upstreamPort, true, 1 << 20, 1));
    Throwable refused =
        catchThrowable(
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/deny"), collector(new LinkedBlockingQueue<>()))
                    .join());
    assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.WEBSOCKET);
    assertThat(x.getError()).contains("403");
  }

  private static WebSocket.Listener collector(BlockingQueue<Object> received) {
    return new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();
      private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          received.add(text.toString());
          text.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
          List<Integer> values = new java.util.ArrayList<>();
          for (byte b : binary.toByteArray()) {
            values.add((int) b);
          }
          received.add(values);
          binary.reset();
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        return CompletableFuture.completedFuture(null);
      }
    };
  }
}
