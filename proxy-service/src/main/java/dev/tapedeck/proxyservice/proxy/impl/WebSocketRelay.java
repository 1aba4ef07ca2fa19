package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.Transport;
import dev.tapedeck.proxyservice.tls.UpstreamTrust;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proxyservice.policy.FrameToxics;
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
 * Proxies a WebSocket upgrade through the {@link InterceptorChain} (scope, modifications of the
 * handshake, connection toxics and chaos, capture): opens the upstream WebSocket first (so a refused handshake reaches
 * the client with the upstream's status), then accepts the client's and relays every frame both
 * ways as it is, with back-pressure. Recorded as one {@code websocket} entry: the handshake
 * request, the upstream's 101 response and each frame with its time, direction and opcode; the
 * entry is published when either side closes. Frames pass through {@link FramePipe}, which applies
 * the session's {@code websocket} toxics to each.
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

  private final Vertx vertx;
  private final WebSocketClient client;
  private final CaptureSink sink;
  private final String proxyId;
  private final EgressGuard egress;
  private final InterceptorChain chain;

  WebSocketRelay(
      Vertx vertx,
      CaptureSink sink,
      String proxyId,
      Transport transport,
      EgressGuard egress,
      int idleTimeoutSeconds,
      InterceptorChain chain) {
    this.vertx = vertx;
    this.chain = chain;
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
    UpstreamTarget target = resolver.resolveOrRefuse(req, s);
    if (target != null) {
      String client = HttpForwarder.address(resolver.client(req));
      chain.handle(
          ProxyExchange.of(ProxyExchange.Kind.WEBSOCKET, vertx, req, s, sink, proxyId, target, client), this::connect);
    }
  }

  /** Opens the upstream WebSocket with the handshake as the steps left it. */
  private void connect(ProxyExchange x) {
    HttpServerRequest req = x.req;
    UpstreamTarget target = x.target;
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.tls())
            .setURI(x.uri);
    for (Map.Entry<String, String> h : x.headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("sec-websocket-protocol")) {
        for (String protocol : h.getValue().split(",")) {
          options.addSubProtocol(protocol.trim());
        }
      } else if (!HANDSHAKE.contains(name)) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    // Resolved and checked against the egress policy once, then connected to as checked.
    egress
        .route(x.policies, target.host())
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
        .onSuccess(upstream -> opened(x, upstream))
        .onFailure(
            failure -> {
              req.resume();
              if (failure instanceof EgressGuard.Refused refused) {
                x.refuse(refused.refusal.message());
              } else if (failure instanceof UpgradeRejectedException rejected) {
                req.response().setStatusCode(rejected.getStatus()).end();
                x.finish("Upstream refused the WebSocket handshake with " + rejected.getStatus());
              } else {
                x.fail("Upstream WebSocket unreachable: " + failure.getMessage());
              }
            });
  }

  /** The upstream accepted: the response steps run (a toxic delay), then the client's handshake. */
  private void opened(ProxyExchange x, WebSocket upstream) {
    x.response(101, handshakeHeaders(upstream.headers()));
    chain.response(x).onComplete(v -> accept(x, upstream));
  }

  private void accept(ProxyExchange x, WebSocket upstream) {
    HttpServerRequest req = x.req;
    if (x.capture != null) {
      // A WebSocket always opens its own connection.
      x.capture.connected(upstream.remoteAddress() == null ? null : HttpForwarder.address(upstream.remoteAddress()), true);
    }
    x.recordResponseHead(101, "Switching Protocols", HttpVersion.HTTP_1_1, x.responseHeaders);
    req.resume();
    req.toWebSocket()
        .onSuccess(client -> pipe(x, client, upstream))
        .onFailure(
            failure -> {
              upstream.close();
              x.finish("Client WebSocket handshake failed: " + failure.getMessage());
            });
  }

  private void pipe(ProxyExchange x, ServerWebSocket client, WebSocket upstream) {
    AtomicBoolean closed = new AtomicBoolean();
    ExchangeCapture capture = x.capture;
    Runnable failFrame =
        () -> {
          if (closed.compareAndSet(false, true)) {
            client.close(FrameToxics.FAILED_FRAME_STATUS, "Injected by the session's websocket error toxic");
            upstream.close(FrameToxics.FAILED_FRAME_STATUS, "Injected by the session's websocket error toxic");
            x.finish("A frame failed by the websocket error toxic; closed with " + FrameToxics.FAILED_FRAME_STATUS);
          }
        };
    new FramePipe(vertx, client, upstream, Direction.CLIENT_TO_SERVER, capture, x.frameToxics, x.plan.closeAfterBytes(), failFrame);
    new FramePipe(vertx, upstream, client, Direction.SERVER_TO_CLIENT, capture, x.frameToxics, x.plan.closeAfterBytes(), failFrame);
    client.closeHandler(
        v -> {
          if (closed.compareAndSet(false, true)) {
            closeFrame(capture, Direction.CLIENT_TO_SERVER, client);
            close(upstream, client.closeStatusCode(), client.closeReason());
            x.finish(null);
          }
        });
    upstream.closeHandler(
        v -> {
          if (closed.compareAndSet(false, true)) {
            closeFrame(capture, Direction.SERVER_TO_CLIENT, upstream);
            close(client, upstream.closeStatusCode(), upstream.closeReason());
            x.finish(null);
          }
        });
    client.exceptionHandler(e -> upstream.close());
    upstream.exceptionHandler(e -> client.close());
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

  private static MultiMap handshakeHeaders(MultiMap headers) {
    return headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
  }

  void close() {
    client.close();
  }

}
