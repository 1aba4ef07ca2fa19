package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Server-sent events pass to the client as they arrive: the upstream sends the next event only
 * once the client has received the previous one through the proxy, so any buffering in the proxy
 * would stall the test. Each event is recorded with its time.
 */
class SseRelayTest extends ProxyTestBase {

  @Test
  void eachEventReachesTheClientBeforeTheNextIsSentAndIsRecorded() throws Exception {
    CompletableFuture<Void> firstSeen = new CompletableFuture<>();
    CompletableFuture<Void> secondSeen = new CompletableFuture<>();
    HttpServer events =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      HttpServerResponse out =
                          req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                      out.write("event: price\nid: 1\ndata: {\"p\":10}\n\n");
                      firstSeen.thenRun(
                          () ->
                              vertx.runOnContext(
                                  v -> out.write(": keep-alive\n\nid: 2\ndata: line one\ndata: line two\n\n")));
                      secondSeen.thenRun(() -> vertx.runOnContext(v -> out.end("event: done\ndata: bye\n\n")));
                    })
                .listen(0, "127.0.0.1"));
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + events.actualPort(), true, 1 << 20, 1));

    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream")).build(),
                HttpResponse.BodyHandlers.ofLines());
    Iterator<String> lines = response.body().iterator();
    CompletableFuture<Boolean> done =
        CompletableFuture.supplyAsync(
            () -> {
              while (lines.hasNext()) {
                String line = lines.next();
                if (line.equals("data: {\"p\":10}")) {
                  firstSeen.complete(null);
                } else if (line.equals("data: line two")) {
                  secondSeen.complete(null);
                } else if (line.equals("data: bye")) {
                  return true;
                }
              }
              return false;
            });
    assertThat(done.get(10, TimeUnit.SECONDS)).as("every event arrived, each before the next was sent").isTrue();

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.SSE);
    assertThat(x.getFramesList()).extracting(Frame::getSseEvent).containsExactly("price", "", "done");
    assertThat(x.getFrames(0).getSseId()).isEqualTo("1");
    assertThat(x.getFrames(0).getData().toStringUtf8()).isEqualTo("{\"p\":10}");
    assertThat(x.getFrames(1).getData().toStringUtf8()).isEqualTo("line one\nline two");
    assertThat(x.getFrames(1).getSseId()).isEqualTo("2");
    assertThat(x.getFrames(2).getTimeUnixMicros()).isGreaterThanOrEqualTo(x.getFrames(0).getTimeUnixMicros());
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).contains("event: done");
  }
}
