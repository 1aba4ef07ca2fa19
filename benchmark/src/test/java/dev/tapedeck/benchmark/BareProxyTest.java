package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bare proxies the benchmark measures beside nginx forward what a user's proxy would: a body
 * byte for byte, small and over many reads, over one kept-alive connection, and a client's {@code
 * Connection: close} closes its connection. A yardstick that answered wrongly would be fast for the
 * wrong reason.
 */
class BareProxyTest {
  @ParameterizedTest
  @ValueSource(strings = {"vertx", "netty"})
  void forwardsBodiesWholeAndHonoursClose(String kind) throws Exception {
    assumeTrue(Epoll.isAvailable(), "the bare proxies run on Linux's native transport");
    Vertx vertx = Vertx.vertx();
    Path log = Files.createTempFile("bare-proxy-test-" + kind, ".log");
    try (PayloadUpstream upstream = PayloadUpstream.start(vertx);
        BareProxy proxy = BareProxy.start(kind, upstream.port(), log)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int size : new int[] {1024, 262_144, 1024}) {
        HttpResponse<byte[]> answer =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + Nginx.payloadPath(size)))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(Payloads.json(size));
      }

      try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET " + Nginx.payloadPath(1024) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        // Read to the end: it comes only if the proxy closes the connection after the answer.
        String whole = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(whole).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(whole.substring(whole.indexOf("\r\n\r\n") + 4))
            .isEqualTo(new String(Payloads.json(1024), StandardCharsets.US_ASCII));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
