package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.Transport;
import dev.tapedeck.proxyservice.tls.UpstreamTrust;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proxies a WebSocket upgrade: opens the upstream WebSocket first (so a refused handshake reaches
 * the client with the upstream's status), then accepts the client's and relays every frame both
 * ways as it is, with back-pressure. Recorded as one {@code websocket} entry: the handshake
 * request, the upstream's 101 response and each frame with its time, direction and opcode; the
 * entry is published when either side closes.
 */
public final class WebSocketRelay {
  /** The largest frame relayed (16 MiB). */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** The largest message relayed (64 MiB). */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** Handshake headers each side negotiates for itself. */
  private static final Set<String> HANDSHAKE =
      Set.of(
          "host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
          "sec-websocket-extensions", "sec-websocket-accept", "content-length", "transfer-encoding");

  private final WebSocketClient client;
  private final CaptureSink sink;
  private final String proxyId;
  private final EgressGuard egress;

  WebSocketRelay(Vertx vertx, CaptureSink sink, String proxyId, Transport transport, EgressGuard egress, int idleTimeoutSeconds) {
    this.client =
        vertx.createWebSocketClient(
            UpstreamTrust.apply(
                new WebSocketClientOptions()
                    .setConnectTimeout(10_000)
                    .setIdleTimeout(idleTimeoutSeconds)
                    .setMaxFrameSize(MAX_FRAME_BYTES)
                    .setMaxMessageSize(MAX_MESSAGE_BYTES)
                    .setTryUsePerFrameCompression(false)
                    .setTryUsePerMessageCompression(false)
                    .setVerifyHost(UpstreamTrust.verifiesHost(transport)),
                transport));
    this.sink = sink;
    this.proxyId = proxyId;
    this.egress = egress;
  }

  /** Whether {@code req} asks to upgrade to a WebSocket. */
  static boolean isUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  void relay(HttpServerRequest req, SessionSettings s, TargetResolver resolver) {
    UpstreamTarget target;
    try {
      target = resolver.resolve(req, s);
    } catch (BadProxyRequest e) {
      ProxyFailure.BAD_REQUEST.send(req.response(), e.getMessage());
      return;
    }
    boolean record =
        s.record()
            && s.policies()
                .filter()
                .recordsRequest(target.host(), target.port(), HttpForwarder.pathOf(target.uri()), req.method().name());
    ExchangeCapture capture =
        record ? new ExchangeCapture(s, proxyId, part -> CaptureHandoff.publish(sink, s, part), sink.captureBudget()) : null;
    String url = (target.tls() ? "wss" : "ws") + target.url().substring(target.url().indexOf(':'));
    if (capture != null) {
      capture.entryType(EntryType.WEBSOCKET);
      capture.requestHead("GET", url, req.version(), req.headers(), HttpForwarder.address(resolver.client(req)));
    }
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.tls())
            .setURI(target.uri());
    for (Map.Entry<String, String> h : req.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("sec-websocket-protocol")) {
        for (String protocol : h.getValue().split(",")) {
          options.addSubProtocol(protocol.trim());
        }
      } else if (!HANDSHAKE.contains(name)) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    req.pause();
    // Resolved and checked against the egress policy once, then connected to as checked.
    egress
        .route(s.policies(), target.host())
        .compose(
            route -> {
              if (!route.address().equals(target.host())) {
                options.setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(target.port(), route.address()));
              }
              if (route.proxy() != null) {
                options.setProxyOptions(route.proxy());
              }
              return client.connect(options);
            })
        .onSuccess(upstream -> accept(req, upstream, capture))
        .onFailure(
            failure -> {
              req.resume();
              if (failure instanceof EgressGuard.Refused refused) {
                String message = refused.refusal.message();
                Buffer body = ProxyFailure.EGRESS_REFUSED.send(req.response(), message);
                if (capture != null) {
                  capture.responseHead(
                      ProxyFailure.EGRESS_REFUSED.status, ProxyFailure.EGRESS_REFUSED.reason, req.version(), req.response().headers());
                  capture.responseChunk(body);
                  CapturedExchange done = capture.complete("egress_refused: " + message);
                  if (done != null) {
                    sink.accept(EgressGuard.refused(done));
                  }
                }
              } else if (failure instanceof UpgradeRejectedException rejected) {
                req.response().setStatusCode(rejected.getStatus()).end();
                publish(capture, "Upstream refused the WebSocket handshake with " + rejected.getStatus());
              } else {
                ProxyFailure.BAD_GATEWAY.send(req.response(), "Upstream WebSocket unreachable: " + failure.getMessage());
                publish(capture, "Upstream WebSocket unreachable: " + failure.getMessage());
              }
            });
  }

  private void accept(HttpServerRequest req, WebSocket upstream, ExchangeCapture capture) {
    if (capture != null) {
      // A WebSocket always opens its own connection.
      capture.connected(upstream.remoteAddress() == null ? null : HttpForwarder.address(upstream.remoteAddress()), true);
      capture.responseHead(101, "Switching Protocols", HttpVersion.HTTP_1_1, handshakeHeaders(upstream.headers()));
    }
    req.resume();
    req.toWebSocket()
        .onSuccess(client -> pipe(client, upstream, capture))
        .onFailure(
            failure -> {
              upstream.close();
              publish(capture, "Client WebSocket handshake failed: " + failure.getMessage());
            });
  }

  private void pipe(ServerWebSocket client, WebSocket upstream, ExchangeCapture capture) {
    AtomicBoolean closed = new AtomicBoolean();
    forward(client, upstream, Direction.CLIENT_TO_SERVER, capture);
    forward(upstream, client, Direction.SERVER_TO_CLIENT, capture);
    client.closeHandler(
        v -> {
          if (closed.compareAndSet(false, true)) {
            closeFrame(capture, Direction.CLIENT_TO_SERVER, client);
            close(upstream, client.closeStatusCode(), client.closeReason());
            publish(capture, null);
          }
        });
    upstream.closeHandler(
        v -> {
          if (closed.compareAndSet(false, true)) {
            closeFrame(capture, Direction.SERVER_TO_CLIENT, upstream);
            close(client, upstream.closeStatusCode(), upstream.closeReason());
            publish(capture, null);
          }
        });
    client.exceptionHandler(e -> upstream.close());
    upstream.exceptionHandler(e -> client.close());
  }

  /** Relays data frames from {@code from} to {@code to} as they are, pausing while {@code to} is full. */
  private static void forward(WebSocketBase from, WebSocketBase to, Direction direction, ExchangeCapture capture) {
    from.frameHandler(
        frame -> {
          if (capture != null) {
            capture.frame(direction, opcode(frame), frame.binaryData());
          }
          if (frame.type() == WebSocketFrameType.CLOSE
              || frame.type() == WebSocketFrameType.PING
              || frame.type() == WebSocketFrameType.PONG) {
            return; // each side answers pings and runs its own closing handshake
          }
          to.writeFrame(frame);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
  }

  /**
   * Records the close frame of the side that closed first (Vert.x answers close frames itself, so
   * they never reach the frame handler): status code and reason, as on the wire.
   */
  private static void closeFrame(ExchangeCapture capture, Direction direction, WebSocketBase closer) {
    if (capture == null) {
      return;
    }
    Buffer payload = Buffer.buffer();
    Short status = closer.closeStatusCode();
    if (status != null) {
      payload.appendShort(status);
      if (closer.closeReason() != null) {
        payload.appendString(closer.closeReason());
      }
    }
    capture.frame(direction, 8, payload);
  }

  private static void close(WebSocketBase socket, Short status, String reason) {
    if (socket.isClosed()) {
      return;
    }
    if (status == null || status == 1005 || status == 1006) {
      socket.close();
    } else {
      socket.close(status, reason);
    }
  }

  private static int opcode(WebSocketFrame frame) {
    return switch (frame.type()) {
      case CONTINUATION -> 0;
      case TEXT -> 1;
      case BINARY -> 2;
      case CLOSE -> 8;
      case PING -> 9;
      case PONG -> 10;
    };
  }

  private static MultiMap handshakeHeaders(MultiMap headers) {
    return headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
  }

  private void publish(ExchangeCapture capture, String error) {
    CapturedExchange done = capture == null ? null : capture.complete(error);
    if (done != null) {
      sink.accept(done);
    }
  }

  void close() {
    client.close();
  }

}
