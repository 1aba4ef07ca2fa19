package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.policy.BodyRewrite;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;

/**
 * The way back of an HTTP exchange: once the upstream's response head is in, the chain's response
 * steps run (toxic delay, response header rules, status filter); then the head goes to the client
 * and the body streams after it, through body replacements (read whole up to the rewrite limit),
 * the toxics' pacing and {@code closeAfterBytes}, with trailers; with {@code durability: "acked"}
 * the last bytes wait until the capture is durable.
 */
final class ResponseRelay {
  private final Vertx vertx;
  private final InterceptorChain chain;

  ResponseRelay(Vertx vertx, InterceptorChain chain) {
    this.vertx = vertx;
    this.chain = chain;
  }

  void answered(ProxyExchange x, HttpClientResponse resp, Throwable failure) {
    if (resp == null) {
      x.fail("Upstream failed before answering: " + failure.getMessage());
      return;
    }
    resp.pause();
    x.response(resp.statusCode(), resp.headers());
    chain
        .response(x)
        .onSuccess(v -> respond(x, resp))
        .onFailure(t -> x.fail("The session's policies failed on the response: " + t.getMessage()));
  }

  /** Answers the client with the response head as the steps left it, through body replacements. */
  private void respond(ProxyExchange x, HttpClientResponse resp) {
    MultiMap headers = x.responseHeaders;
    boolean mayHaveBody = HttpForwarder.mayHaveBody(x.req.method(), resp.statusCode());
    if (x.policies.modifier().rewritesResponseBodies()
        && mayHaveBody
        && BodyRewrite.rewritable(headers.get(HttpHeaders.CONTENT_TYPE), headers.get(HttpHeaders.CONTENT_ENCODING))) {
      if (BodyRewrite.overLimit(headers.get(HttpHeaders.CONTENT_LENGTH))) {
        x.rewriteSkipped.add(BodyRewrite.overLimitReason(false));
      } else {
        rewriteResponse(x, resp, headers);
        return;
      }
    }
    streamResponse(x, resp, headers, null);
  }

  /**
   * Reads the response body up to the rewrite limit, rewrites it on a rewrite worker and sends it
   * with its new length; a body that goes past the limit is sent unchanged, the part read first
   * and the rest streamed, and the entry says the rewrite was skipped.
   */
  private void rewriteResponse(ProxyExchange x, HttpClientResponse resp, MultiMap head) {
    BoundedBody.read(
        resp,
        BodyRewrite.limits().maxBodyBytes(),
        raw ->
            BodyRewrite.submit(
                    raw.getBytes(),
                    head.get(HttpHeaders.CONTENT_TYPE),
                    head.get(HttpHeaders.CONTENT_ENCODING),
                    x.policies.modifier(),
                    false)
                .onSuccess(
                    outcome -> {
                      byte[] changed = rewritten(x, raw, outcome).changed();
                      Buffer body = raw;
                      if (changed != null) {
                        x.modified = true;
                        body = Buffer.buffer(changed);
                      }
                      head.remove(HttpHeaders.TRANSFER_ENCODING);
                      head.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
                      HttpServerResponse out = writeHead(x, resp, head);
                      Pacer pacer = pacer(x, resp, out);
                      x.recordResponseChunk(body);
                      if (x.acked()) {
                        Buffer whole = body;
                        whenDurable(x, resp.trailers(), () -> {
                          pacer.write(whole);
                          pacer.flushed(() -> out.end());
                        });
                        return;
                      }
                      pacer.write(body);
                      pacer.flushed(() -> end(x, out, resp.trailers()));
                    }),
        readSoFar -> {
          x.rewriteSkipped.add(BodyRewrite.overLimitReason(false));
          streamResponse(x, resp, head, readSoFar);
        },
        t -> x.fail("Upstream response broke off: " + t.getMessage()));
  }

  /** A body and what its rewrite gave; a skipped rewrite is noted on the exchange. */
  record Rewritten(Buffer raw, byte[] changed) {}

  static Rewritten rewritten(ProxyExchange x, Buffer raw, BodyRewrite.Outcome outcome) {
    if (outcome.skipped() != null) {
      x.rewriteSkipped.add(outcome.skipped());
    }
    return new Rewritten(raw, outcome.changed());
  }

  /** Sends the head and streams the body as it comes, {@code first} (read already) before it. */
  private void streamResponse(ProxyExchange x, HttpClientResponse resp, MultiMap headers, Buffer first) {
    HttpServerResponse out = writeHead(x, resp, headers);
    Pacer pacer = pacer(x, resp, out);
    // durability "acked": the newest chunk is held back until the capture is durable.
    Buffer[] held = new Buffer[1];
    boolean acked = x.acked();
    if (first != null) {
      x.recordResponseChunk(first);
      if (acked) {
        held[0] = first;
      } else {
        pacer.write(first);
      }
    }
    resp.handler(
        chunk -> {
          x.recordResponseRead(chunk);
          if (acked) {
            if (held[0] != null) {
              pacer.write(held[0]);
            }
            held[0] = chunk;
          } else {
            pacer.write(chunk);
          }
        });
    resp.exceptionHandler(
        t -> {
          out.reset();
          x.finish("Upstream response broke off: " + t.getMessage());
        });
    resp.endHandler(
        v -> {
          if (acked) {
            whenDurable(x, resp.trailers(), () -> {
              if (held[0] != null) {
                pacer.write(held[0]);
              }
              pacer.flushed(() -> out.end());
            });
          } else {
            pacer.flushed(() -> end(x, out, resp.trailers()));
          }
        });
    resp.resume();
  }

  private Pacer pacer(ProxyExchange x, HttpClientResponse resp, HttpServerResponse out) {
    long limit = x.plan.closeAfterBytes();
    return new Pacer(
        vertx,
        resp,
        out,
        x.plan.bandwidthKBps(),
        limit,
        () -> {
          x.req.connection().close();
          x.finish("Closed by the closeAfterBytes toxic after " + limit + " bytes");
        });
  }

  /** Ends the response with the upstream's trailers (HTTP/1.0 and fixed-length responses drop them). */
  private void end(ProxyExchange x, HttpServerResponse out, MultiMap trailers) {
    trailers(x, out, trailers);
    out.end();
    x.finish(null);
  }

  private static void trailers(ProxyExchange x, HttpServerResponse out, MultiMap trailers) {
    if (!trailers.isEmpty()) {
      out.trailers().addAll(trailers);
      if (x.capture != null) {
        x.capture.responseTrailers(trailers);
      }
    }
  }

  /**
   * durability "acked": publishes the capture now, and runs {@code then} (which sends the last
   * bytes) on the exchange's context once the capture is acknowledged by Kafka or in the spool.
   */
  private void whenDurable(ProxyExchange x, MultiMap trailers, Runnable then) {
    HttpServerResponse out = x.req.response();
    trailers(x, out, trailers);
    Context context = vertx.getOrCreateContext();
    x.finishDurably(null).whenComplete((ok, failure) -> context.runOnContext(v -> then.run()));
  }

  private HttpServerResponse writeHead(ProxyExchange x, HttpClientResponse resp, MultiMap headers) {
    HttpServerRequest req = x.req;
    x.recordResponseHead(resp.statusCode(), resp.statusMessage(), resp.version(), headers);
    HttpServerResponse out = req.response();
    out.setStatusCode(resp.statusCode()).setStatusMessage(resp.statusMessage());
    HopByHop hop = HopByHop.of(headers);
    for (Map.Entry<String, String> h : headers) {
      if (!hop.contains(h.getKey())) {
        out.headers().add(h.getKey(), h.getValue());
      }
    }
    if (!headers.contains(HttpHeaders.CONTENT_LENGTH)
        && HttpForwarder.mayHaveBody(req.method(), resp.statusCode())
        && req.version() != HttpVersion.HTTP_1_0) {
      out.setChunked(true);
    }
    return out;
  }
}
