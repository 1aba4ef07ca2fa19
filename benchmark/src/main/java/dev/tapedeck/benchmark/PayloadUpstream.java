package dev.tapedeck.benchmark;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The upstream when nginx is not installed: {@code GET /payload-N.bin} answers N bytes of {@link Payloads#json},
 * allocated once, like {@link Nginx#fileServer}.
 */
final class PayloadUpstream implements AutoCloseable {
  private final HttpServer server;

  private PayloadUpstream(HttpServer server) {
    this.server = server;
  }

  static PayloadUpstream start(Vertx vertx) throws Exception {
    Map<Integer, Buffer> payloads = new ConcurrentHashMap<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String path = req.path();
                  int size =
                      Integer.parseInt(path.substring("/payload-".length(), path.length() - ".bin".length()));
                  Buffer body = payloads.computeIfAbsent(size, n -> Buffer.buffer(Payloads.json(n)));
                  req.response().putHeader("Content-Type", "application/octet-stream").end(body);
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new PayloadUpstream(server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
