package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import java.util.function.Function;

/**
 * Serves {@code CONNECT host:port} in forward mode: passes the {@link InterceptorChain} (the host
 * filters decide whether the tunnel is recorded; connection toxics and chaos may reset, stall or
 * fail it, delay its opening and cut it after {@code closeAfterBytes}), opens a TCP connection to
 * the target, answers 200, then relays bytes both ways unchanged (never decrypted) until either
 * side closes. One {@code TUNNEL} exchange is recorded per tunnel in scope once both sides are
 * closed, with the bytes each way; an unreachable target is answered 502 and recorded with its
 * error.
 */
final class TunnelRelay {
  private final Vertx vertx;
  private final Function<ProxyOptions, NetClient> clients;
  private final CaptureSink sink;
  private final String proxyId;
  private final EgressGuard egress;
  private final InterceptorChain chain;

  /**
   * @param clients the TCP client for connections through an upstream proxy at the given (checked)
   *     address, or for direct connections when given null
   */
  TunnelRelay(
      Vertx vertx,
      Function<ProxyOptions, NetClient> clients,
      CaptureSink sink,
      String proxyId,
      EgressGuard egress,
      InterceptorChain chain) {
    this.vertx = vertx;
    this.clients = clients;
    this.sink = sink;
    this.proxyId = proxyId;
    this.egress = egress;
    this.chain = chain;
  }

  /** The tunnel exchange of a CONNECT, once the chain's request steps have decided on it. */
  io.vertx.core.Future<ProxyExchange> admit(HttpServerRequest req, SessionSettings s, HostPort target) {
    ProxyExchange x = ProxyExchange.tunnel(vertx, req, s, sink, proxyId, target);
    return chain.request(x).map(v -> x);
  }

  void relay(HttpServerRequest req, SessionSettings s, HostPort target) {
    chain.handle(ProxyExchange.tunnel(vertx, req, s, sink, proxyId, target), this::connect);
  }

  private void connect(ProxyExchange x) {
    HostPort target = x.tunnelTarget;
    // The address is resolved and checked once, then connected to as checked. Connected from the
    // request's event loop, so both sockets of the tunnel share it.
    egress
        .route(x.policies, target.host())
        .compose(route -> clients.apply(route.proxy()).connect(target.port(), route.address()))
        .onComplete(
            ar -> {
              if (ar.failed() && ar.cause() instanceof EgressGuard.Refused refused) {
                x.refuse(refused.refusal.message());
              } else if (ar.failed()) {
                x.fail("Upstream " + target.authority() + " unreachable: " + ar.cause().getMessage());
              } else {
                opened(x, ar.result());
              }
            });
  }

  /** The upstream is connected: the response steps run (a toxic delay), then 200 and the splice. */
  private void opened(ProxyExchange x, NetSocket upstream) {
    if (x.tunnel != null) {
      x.tunnel.connected(HttpForwarder.address(upstream.remoteAddress()));
    }
    x.response(200, io.vertx.core.MultiMap.caseInsensitiveMultiMap());
    chain
        .response(x)
        .onComplete(
            v -> {
              HttpServerRequest req = x.req;
              HttpServerResponse out = req.response();
              if (out.closed()) {
                upstream.close();
                x.finish("Client left before the tunnel opened");
                return;
              }
              // Answers 200 and hands over the client's connection (paused while the chain ran).
              req.resume();
              req.toNetSocket()
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          upstream.close();
                          x.finish("Client left before the tunnel opened: " + ar.cause().getMessage());
                          return;
                        }
                        x.recordResponseHead(out.getStatusCode(), out.getStatusMessage(), req.version(), out.headers());
                        SocketSplice.join(
                            vertx,
                            ar.result(),
                            upstream,
                            new SocketSplice.Pace(x.plan.bandwidthKBps(), x.plan.slowReadKBps(), x.plan.closeAfterBytes()),
                            done -> {
                              x.tunnelBytes(done.clientToServer(), done.serverToClient());
                              x.finish(done.error());
                            });
                      });
            });
  }

  /** Answers 403 to a {@code CONNECT} the egress policy refuses; recorded (when in scope) flagged refused. */
  void refuse(HttpServerRequest req, SessionSettings s, HostPort target, String message) {
    admit(req, s, target).onSuccess(x -> x.refuse(message));
  }
}
