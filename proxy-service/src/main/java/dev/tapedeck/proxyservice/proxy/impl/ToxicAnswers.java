package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/** The answers of the toxics that keep an exchange from the upstream: reset, stall, error. */
final class ToxicAnswers {
  private ToxicAnswers() {}

  /** The client's connection is closed without an answer. */
  static final LocalAnswer RESET =
      x -> {
        x.req.connection().close();
        x.finish("Connection closed without an answer by the reset toxic");
      };

  /** Nothing is answered; the connection closes after the stall. */
  static final LocalAnswer STALL =
      x -> {
        long stall = x.plan.stallMs();
        x.vertx.setTimer(
            stall,
            id -> {
              x.req.connection().close();
              x.finish("Stalled by the stall toxic, closed after " + stall + " ms");
            });
      };

  /**
   * The toxic's status with a JSON error, after the toxic's delay. The request body is read (and
   * recorded) but goes nowhere; the exchange is recorded once both the answer went out and the
   * body was read.
   */
  static final LocalAnswer ERROR =
      x -> {
        // A CONNECT has no body to wait for.
        boolean tunnel = x.kind == ProxyExchange.Kind.TUNNEL;
        AtomicInteger pending = new AtomicInteger(tunnel ? 1 : 2);
        Runnable done =
            () -> {
              if (pending.decrementAndGet() == 0) {
                x.finish(null);
              }
            };
        if (!tunnel) {
          x.req.handler(x::recordRequestChunk);
          x.req.exceptionHandler(t -> done.run());
          x.req.endHandler(v -> done.run());
        }
        x.req.resume();
        Runnable answer =
            () -> {
              int status = x.plan.errorStatus();
              HttpServerResponse out = x.req.response();
              Buffer body =
                  Buffer.buffer(
                      new JsonObject()
                          .put("error", "toxic")
                          .put("message", "Injected by the session's error toxic")
                          .encode());
              out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
              out.putHeader("X-Tapedeck-Toxic", "error");
              x.recordResponseHead(status, out.getStatusMessage(), x.req.version(), out.headers());
              x.recordResponseChunk(body);
              out.end(body);
              done.run();
            };
        if (x.plan.delayMs() > 0) {
          x.vertx.setTimer(x.plan.delayMs(), id -> answer.run());
        } else {
          answer.run();
        }
      };
}
