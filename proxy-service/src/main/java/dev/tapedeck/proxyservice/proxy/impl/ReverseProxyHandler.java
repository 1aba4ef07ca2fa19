package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.Map;

/**
 * Reverse proxying for one session: every request goes to the session's target, bodies stream
 * through in both directions with backpressure (never buffered whole), and a bounded capture of
 * each is kept for the recording.
 *
 * <p>Failures map to statuses in one place, {@link #fail}: 502 when the upstream cannot be reached
 * or breaks off before answering.
 */
public final class ReverseProxyHandler implements RecordingProxy {
  private final HttpClient client;
  private final CaptureSink sink;
  private final String proxyId;
  private volatile SessionSettings settings;

  public ReverseProxyHandler(
      Vertx vertx, SessionSettings settings, CaptureSink sink, String proxyId) {
    this.settings = settings;
    this.sink = sink;
    this.proxyId = proxyId;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(10_000)
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setVerifyHost(true),
            new PoolOptions().setHttp1MaxSize(256));
  }

  @Override
  public void update(SessionSettings newSettings) {
    this.settings = newSettings;
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public void handle(HttpServerRequest req) {
    SessionSettings s = settings;
    ExchangeCapture capture = s.record() ? new ExchangeCapture(s, proxyId) : null;
    String upstreamUri = s.targetBasePath() + req.uri();
    if (capture != null) {
      capture.requestHead(
          req.method().name(),
          s.targetOrigin() + upstreamUri,
          req.version(),
          req.headers(),
          address(req.remoteAddress()));
    }
    req.pause();
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(s.targetHost())
            .setPort(s.targetPort())
            .setSsl(s.targetTls())
            .setURI(upstreamUri);
    HopByHop hop = HopByHop.of(req.headers());
    for (Map.Entry<String, String> h : req.headers()) {
      // Host names the proxy; Vert.x sets the target's own authority instead.
      if (!hop.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("host")) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    client
        .request(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(req, capture, "Upstream " + s.targetOrigin() + " unreachable: " + ar.cause().getMessage());
                return;
              }
              forward(req, ar.result(), capture);
            });
  }

  private void forward(HttpServerRequest req, HttpClientRequest up, ExchangeCapture capture) {
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
      Buffer body =
          Buffer.buffer(new JsonObject().put("error", "bad_gateway").put("message", message).encode());
      out.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      if (capture != null) {
        capture.responseHead(502, "Bad Gateway", req.version(), out.headers());
        capture.responseChunk(body);
      }
      out.end(body);
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

  private static String address(SocketAddress address) {
    return address == null ? null : address.hostAddress() + ":" + address.port();
  }
}
