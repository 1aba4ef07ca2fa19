package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * The proxy tests of recording policies: a session whose {@code config_json} carries policies, a
 * real upstream with a few more routes ({@code /big}: 1 MiB, {@code /gz}: a gzip JSON body, {@code
 * /seen}: the request-target and headers it got), and a JDK client.
 */
abstract class PolicyTestBase extends ProxyTestBase {
  static final byte[] BIG = new byte[1 << 20];
  static final String GZ_JSON = "{\"db\":\"production-db.internal\",\"apiKey\": \"sk_live_123\"}";

  final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final List<String> upstreamUris = new CopyOnWriteArrayList<>();
  final List<MultiMap> upstreamHeaders = new CopyOnWriteArrayList<>();
  final List<String> upstreamBodies = new CopyOnWriteArrayList<>();

  @Override
  void answer(HttpServerRequest req) {
    upstreamUris.add(req.uri());
    upstreamHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    switch (req.path()) {
      case "/big" -> req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(BIG));
      case "/gz" ->
          req.response()
              .putHeader("Content-Type", "application/json")
              .putHeader("Content-Encoding", "gzip")
              .end(Buffer.buffer(gzip(GZ_JSON)));
      case "/echo" ->
          req.body()
              .onSuccess(
                  body -> {
                    upstreamBodies.add(body.toString(StandardCharsets.UTF_8));
                    req.response()
                        .setStatusCode(201)
                        .putHeader("Content-Type", String.valueOf(req.getHeader("Content-Type")))
                        .end(body);
                  });
      case "/hello", "/image" -> super.answer(req);
      default -> {
        if (req.path().startsWith("/seen") || req.path().startsWith("/v2") || req.path().startsWith("/api")) {
          req.response().putHeader("Content-Type", "text/plain").end("seen " + req.uri());
        } else {
          super.answer(req);
        }
      }
    }
  }

  /** A reverse-mode session on the upstream with {@code policiesJson} as its policies. */
  SessionSettings policies(String policiesJson) {
    return policies("http://127.0.0.1:" + upstreamPort(), policiesJson, 1);
  }

  static SessionSettings policies(String target, String policiesJson, long revision) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode("reverse")
            .setTargetUrl(target)
            .setRecord(true)
            .setCaptureBodyLimitBytes(2 << 20)
            .setConfigJson("{\"version\":1,\"policies\":" + policiesJson + "}")
            .setRevision(revision)
            .build());
  }

  HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "text/plain")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] gzip(String text) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets asynchronous captures of the exchanges just made arrive. */
  static void settle() throws InterruptedException {
    Thread.sleep(200);
  }
}
