package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.capture.HoldingSink;
import dev.tapedeck.proxyservice.capture.RecordFit;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the proxy does when captures meet their bounds: long streams go out as linked parts under
 * the sink's record budget, a congested sink holds back new requests (or, with {@code
 * captureOverflow: "drop"}, stubs their captures), and {@code durability: "acked"} holds a
 * response's last bytes until its capture is durable.
 */
class CaptureBoundsTest extends ProxyTestBase {
  private static final int MIB = 1024 * 1024;
  private final HttpClient client = HttpClient.newHttpClient();

  private int start(HoldingSink sink, String configJson) throws Exception {
    SessionSettings s =
        SessionSettings.of(
            ProxySession.newBuilder()
                .setId("s1")
                .setMode("reverse")
                .setTargetUrl("http://127.0.0.1:" + upstreamPort())
                .setRecord(true)
                .setCaptureBodyLimitBytes(MIB)
                .setConfigJson(configJson)
                .setRevision(1)
                .build());
    proxy = RecordingProxy.of(vertx, s, sink, "test-proxy");
    return await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  void aTwentyMebibyteWebSocketConversationIsRecordedAsLinkedPartsUnderTheRecordBudget() throws Exception {
    int echo =
        await(
                vertx
                    .createHttpServer()
                    .webSocketHandler(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    HoldingSink sink = new HoldingSink(captured, MIB);
    SessionSettings s = settings("reverse", "http://127.0.0.1:" + echo, true, MIB, 1);
    proxy = RecordingProxy.of(vertx, s, sink, "test-proxy");
    int port = await(vertx.createHttpServer().requestHandler(proxy).listen(0, "127.0.0.1")).actualPort();

    int messages = 320;
    int size = 64 * 1024;
    CountDownLatch echoed = new CountDownLatch(messages);
    WebSocket ws =
        client
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/stream"),
                new WebSocket.Listener() {
                  private int pending;

                  @Override
                  public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    pending += data.remaining();
                    if (last) {
                      pending = 0;
                      echoed.countDown();
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    for (int i = 0; i < messages; i++) {
      byte[] payload = new byte[size];
      payload[0] = (byte) i;
      ws.sendBinary(ByteBuffer.wrap(payload), true).get(5, TimeUnit.SECONDS);
    }
    assertThat(echoed.await(30, TimeUnit.SECONDS)).isTrue();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (captured.stream().noneMatch(x -> x.getStream().getLast()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<CapturedExchange> parts = List.copyOf(captured);
    assertThat(parts.size()).isGreaterThan(20);
    assertThat(parts).allSatisfy(p -> assertThat(p.getSerializedSize()).isLessThanOrEqualTo(MIB));
    String streamId = parts.get(0).getStream().getStreamId();
    assertThat(parts.get(0).getEntryId()).isEqualTo(streamId);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(parts.get(i).getStream().getStreamId()).isEqualTo(streamId);
      assertThat(parts.get(i).getStream().getPart()).isEqualTo(i + 1);
      assertThat(parts.get(i).getStream().getLast()).isEqualTo(i == parts.size() - 1);
      assertThat(parts.get(i).hasLoss()).isFalse();
    }
    List<Frame> frames = parts.stream().flatMap(p -> p.getFramesList().stream()).toList();
    List<Frame> sent = frames.stream().filter(f -> f.getDirection() == Direction.CLIENT_TO_SERVER && f.getOpcode() == 2).toList();
    List<Frame> back = frames.stream().filter(f -> f.getDirection() == Direction.SERVER_TO_CLIENT && f.getOpcode() == 2).toList();
    assertThat(sent).hasSize(messages);
    assertThat(back).hasSize(messages);
    assertThat(sent.stream().mapToLong(f -> f.getData().size()).sum()).isEqualTo((long) messages * size);
    for (int i = 0; i < messages; i++) {
      assertThat(sent.get(i).getData().byteAt(0)).isEqualTo((byte) i);
    }
  }

  @Test
  void newRequestsWaitWhileTheSinkIsCongestedAndGoOnWhenItCatchesUp() throws Exception {
    HoldingSink sink = new HoldingSink(captured);
    int port = start(sink, "");
    sink.congested = true;
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=held")).build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    assertThat(answer).isNotDone();
    assertThat(upstreamSawHeaders).isEmpty();
    vertx.runOnContext(v -> sink.relieve());
    assertThat(answer.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"hello\":\"held\"}");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.hasLoss()).isFalse();
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo("{\"hello\":\"held\"}");
  }

  @Test
  void dropOverflowAnswersAtOnceWhileCongestedAndStoresTheCaptureAsAStub() throws Exception {
    HoldingSink sink = new HoldingSink(captured);
    int port = start(sink, "{\"version\":1,\"captureOverflow\":\"drop\"}");
    sink.congested = true;
    HttpResponse<byte[]> answer =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/image")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.body()).isEqualTo(PNG);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getLoss().getKind()).isEqualTo(RecordFit.STUB);
    assertThat(x.getLoss().getReason()).contains("captureOverflow: drop");
    assertThat(x.getResponse().getStatusCode()).isEqualTo(200);
    assertThat(x.getResponse().getBody().getSize()).isEqualTo(PNG.length);
    assertThat(x.getResponse().getBody().getData().isEmpty()).isTrue();
  }

  @Test
  void ackedDurabilityHoldsTheResponsesLastBytesUntilTheCaptureIsDurable() throws Exception {
    HoldingSink sink = new HoldingSink(captured);
    int port = start(sink, "{\"version\":1,\"durability\":\"acked\"}");
    CompletableFuture<HttpResponse<byte[]>> answer =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/image")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getResponse().getBody().getData().toByteArray()).isEqualTo(PNG);
    Thread.sleep(300);
    assertThat(answer).isNotDone();
    sink.durable.get(0).complete(null);
    assertThat(answer.get(5, TimeUnit.SECONDS).body()).isEqualTo(PNG);
  }

  @Test
  void ackedDurabilityAlsoHoldsAChunkedResponseUntilTheCaptureIsDurable() throws Exception {
    upstream.close();
    upstream =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      req.response().setChunked(true).write("first,");
                      vertx.setTimer(50, t -> req.response().end("last"));
                    })
                .listen(0, "127.0.0.1"));
    HoldingSink sink = new HoldingSink(captured);
    int port = start(sink, "{\"version\":1,\"durability\":\"acked\"}");
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chunks")).build(),
            HttpResponse.BodyHandlers.ofString());
    awaitCaptured(1);
    Thread.sleep(300);
    assertThat(answer).isNotDone();
    sink.durable.get(0).complete(null);
    assertThat(answer.get(5, TimeUnit.SECONDS).body()).isEqualTo("first,last");
    assertThat(captured.get(0).getResponse().getBody().getData().toStringUtf8()).isEqualTo("first,last");
  }

}
