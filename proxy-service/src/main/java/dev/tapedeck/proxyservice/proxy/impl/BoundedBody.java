package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads a body into memory for a body rewrite, but never more than a limit: a body that ends
 * within it is handed over whole; one that goes past it is handed over as read so far, with the
 * stream paused and its handlers cleared, so the caller can send that part and stream the rest
 * unchanged. The limit bounds what one exchange holds in memory whatever the upstream sends
 * (chunked bodies declare no length).
 */
final class BoundedBody {
  private BoundedBody() {}

  static void read(
      ReadStream<Buffer> in, long limit, Handler<Buffer> whole, Handler<Buffer> over, Handler<Throwable> failed) {
    Buffer body = Buffer.buffer();
    boolean[] handedOver = {false};
    in.handler(
        chunk -> {
          if (handedOver[0]) {
            return;
          }
          body.appendBuffer(chunk);
          if (body.length() > limit) {
            handedOver[0] = true;
            in.pause();
            in.handler(null);
            in.exceptionHandler(null);
            in.endHandler(null);
            over.handle(body);
          }
        });
    in.exceptionHandler(
        t -> {
          if (!handedOver[0]) {
            handedOver[0] = true;
            failed.handle(t);
          }
        });
    in.endHandler(
        v -> {
          if (!handedOver[0]) {
            handedOver[0] = true;
            whole.handle(body);
          }
        });
    in.resume();
  }
}
