package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.Map;

/**
 * Forwards one HTTP request to the upstream its mode's {@link TargetResolver} names, in both modes
 * alike: bodies stream through in both directions with backpressure (never buffered whole),
 * hop-by-hop headers stay behind, and a bounded capture of each body is kept for the recording.
 *
 * <p>Failures map to statuses through {@link ProxyFailure}: 400 when the request names no target
 * the mode can serve (not recorded: nothing went upstream), 502 when the upstream cannot be reached
 * or breaks off before answering (recorded, with the error).
 */
final class HttpForwarder {
  private final HttpClient client;
  private final CaptureSink sink;
  private final String proxyId;

  HttpForwarder(HttpClient client, CaptureSink sink, String proxyId) {
    this.client = client;
    this.sink = sink;
    this.proxyId = proxyId;
  }

  void forward(HttpServerRequest req, SessionSettings s, TargetResolver resolver) {
    UpstreamTarget target;
    try {
      target = resolver.resolve(req, s);
    } catch (BadProxyRequest e) {
      ProxyFailure.BAD_REQUEST.send(req.response(), e.getMessage());
      return;
    }
    ExchangeCapture capture = s.record() ? new ExchangeCapture(s, proxyId) : null;
    if (capture != null) {
      capture.requestHead(
          req.method().name(), target.url(), req.version(), req.headers(), address(req.remoteAddress()));
    }
    req.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.tls())
            .setURI(target.uri());
    HopByHop hop = HopByHop.of(req.headers());
    for (Map.Entry<String, String> h : req.headers()) {
      // Host names the proxy (reverse) or repeats the target (forward); Vert.x sets the target's.
      if (!hop.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("host")) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    client
        .request(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(req, capture, "Upstream " + target.origin() + " unreachable: " + ar.cause().getMessage());
                return;
              }
              stream(req, ar.result(), capture);
            });
  }

  private void stream(HttpServerRequest req, HttpClientRequest up, ExchangeCapture capture) {
    if (capture != null) {
      capture.connected(up.connection() == null ? null : address(up.connection().remoteAddress()));
    }
    boolean hasLength = req.headers().contains(HttpHeaders.CONTENT_LENGTH);
    boolean chunkedBody = !hasLength && req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (chunkedBody) {
      up.setChunked(true);
    }
    up.response()
        .onComplete(
            rar -> {
              if (rar.failed()) {
                fail(req, capture, "Upstream failed before answering: " + rar.cause().getMessage());
              } else {
                respond(req, rar.result(), capture);
              }
            });
    req.handler(
        chunk -> {
          if (capture != null) {
            capture.requestChunk(chunk);
          }
          up.write(chunk);
          if (up.writeQueueFull()) {
            req.pause();
            up.drainHandler(v -> req.resume());
          }
        });
    req.exceptionHandler(t -> up.reset());
    req.endHandler(
        v ->
            up.end()
                .onComplete(
                    done -> {
                      if (capture != null) {
                        capture.requestSent();
                      }
                    }));
    req.resume();
  }

  private void respond(HttpServerRequest req, HttpClientResponse resp, ExchangeCapture capture) {
    if (capture != null) {
      capture.responseHead(resp.statusCode(), resp.statusMessage(), resp.version(), resp.headers());
    }
    HttpServerResponse out = req.response();
    out.setStatusCode(resp.statusCode()).setStatusMessage(resp.statusMessage());
    HopByHop hop = HopByHop.of(resp.headers());
    for (Map.Entry<String, String> h : resp.headers()) {
      if (!hop.contains(h.getKey())) {
        out.headers().add(h.getKey(), h.getValue());
      }
    }
    if (!resp.headers().contains(HttpHeaders.CONTENT_LENGTH)
        && mayHaveBody(req.method(), resp.statusCode())
        && req.version() != HttpVersion.HTTP_1_0) {
      out.setChunked(true);
    }
    resp.handler(
        chunk -> {
          if (capture != null) {
            capture.responseChunk(chunk);
          }
          out.write(chunk);
          if (out.writeQueueFull()) {
            resp.pause();
            out.drainHandler(v -> resp.resume());
          }
        });
    resp.exceptionHandler(
        t -> {
          out.reset();
          publish(capture, "Upstream response broke off: " + t.getMessage());
        });
    resp.endHandler(
        v -> {
          out.end();
          publish(capture, null);
        });
  }

  private void fail(HttpServerRequest req, ExchangeCapture capture, String message) {
    HttpServerResponse out = req.response();
    if (!out.headWritten()) {
      Buffer body = ProxyFailure.BAD_GATEWAY.send(out, message);
      if (capture != null) {
        capture.responseHead(
            ProxyFailure.BAD_GATEWAY.status, ProxyFailure.BAD_GATEWAY.reason, req.version(), out.headers());
        capture.responseChunk(body);
      }
    } else {
      out.reset();
    }
    req.resume();
    publish(capture, message);
  }

  private void publish(ExchangeCapture capture, String error) {
    CapturedExchange done = capture == null ? null : capture.complete(error);
    if (done != null) {
      sink.accept(done);
    }
  }

  private static boolean mayHaveBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  static String address(SocketAddress address) {
    return address == null ? null : address.hostAddress() + ":" + address.port();
  }
}
