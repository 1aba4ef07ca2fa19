package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code Expect: 100-continue} is the upstream's to answer: the client's expectation reaches it,
 * and its 100 Continue reaches the client, which sends the body only then.
 */
class ExpectContinueTest extends ProxyTestBase {

  @Test
  void upstreamsContinueReachesTheClientBeforeItSendsTheBody() throws Exception {
    List<String> upstreamSaw = new CopyOnWriteArrayList<>();
    HttpServer expecting =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      upstreamSaw.add("expect: " + req.getHeader("Expect"));
                      req.response().writeContinue();
                      req.body().onSuccess(body -> req.response().end("got " + body));
                    })
                .listen(0, "127.0.0.1"));
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + expecting.actualPort(), true, 1 << 20, 1));

    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          ("POST /upload HTTP/1.1\r\nHost: app\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      // Nothing of the body is sent before the 100 arrives (the read times out otherwise).
      assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue");
      out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
      String response = readHead(in);
      assertThat(response).startsWith("HTTP/1.1 200");
      assertThat(new String(in.readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("got hello");
    }
    assertThat(upstreamSaw).containsExactly("expect: 100-continue");
    assertThat(awaitCaptured(1).get(0).getRequest().getBody().getData().toStringUtf8()).isEqualTo("hello");
  }

  @Test
  void curlSendsItsBodyAfterTheRelayedContinue() throws Exception {
    List<String> upstreamSaw = new CopyOnWriteArrayList<>();
    HttpServer expecting =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      upstreamSaw.add("expect: " + req.getHeader("Expect"));
                      req.response().writeContinue();
                      req.body().onSuccess(body -> req.response().end("got " + body.length() + " bytes"));
                    })
                .listen(0, "127.0.0.1"));
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + expecting.actualPort(), true, 1 << 20, 1));

    // -v prints the interim 100 that curl waited for before it sent the body.
    String out =
        Http2UpstreamTest.curl(
            "-v", "-H", "Expect: 100-continue", "--data-binary", "0123456789", "http://127.0.0.1:" + port + "/upload");

    assertThat(out).contains("< HTTP/1.1 100 Continue").contains("got 10 bytes");
    assertThat(upstreamSaw).containsExactly("expect: 100-continue");
  }
}
