package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import java.util.function.Function;

/**
 * Serves {@code CONNECT host:port} in forward mode: opens a TCP connection to the target, answers
 * 200, then relays bytes both ways unchanged (never decrypted) until either side closes. One
 * {@code TUNNEL} exchange is recorded per tunnel once both sides are closed, with the bytes each
 * way; an unreachable target is answered 502 and recorded with its error.
 */
final class TunnelRelay {
  private final Function<ProxyOptions, NetClient> clients;
  private final CaptureSink sink;
  private final String proxyId;
  private final EgressGuard egress;

  /**
   * @param clients the TCP client for connections through an upstream proxy at the given (checked)
   *     address, or for direct connections when given null
   */
  TunnelRelay(Function<ProxyOptions, NetClient> clients, CaptureSink sink, String proxyId, EgressGuard egress) {
    this.clients = clients;
    this.sink = sink;
    this.proxyId = proxyId;
    this.egress = egress;
  }

  void relay(HttpServerRequest req, SessionSettings s, HostPort target) {
    TunnelCapture capture = s.record() ? new TunnelCapture(s, proxyId, target, req) : null;
    // The address is resolved and checked once, then connected to as checked. Connected from the
    // request's event loop, so both sockets of the tunnel share it.
    egress
        .route(s.policies(), target.host())
        .compose(route -> clients.apply(route.proxy()).connect(target.port(), route.address()))
        .onComplete(
            ar -> {
              if (ar.failed() && ar.cause() instanceof EgressGuard.Refused refused) {
                refuse(req, capture, refused.refusal.message());
              } else if (ar.failed()) {
                fail(req, capture, "Upstream " + target.authority() + " unreachable: " + ar.cause().getMessage());
              } else {
                open(req, ar.result(), capture);
              }
            });
  }

  private void open(HttpServerRequest req, NetSocket upstream, TunnelCapture capture) {
    if (capture != null) {
      capture.connected(HttpForwarder.address(upstream.remoteAddress()));
    }
    HttpServerResponse out = req.response();
    if (out.closed()) {
      upstream.close();
      publish(capture, 0, 0, "Client left before the tunnel opened");
      return;
    }
    // Answers 200 and hands over the client's connection.
    req.toNetSocket()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                upstream.close();
                publish(capture, 0, 0, "Client left before the tunnel opened: " + ar.cause().getMessage());
                return;
              }
              if (capture != null) {
                capture.responseHead(out.getStatusCode(), out.getStatusMessage(), req.version(), out.headers());
              }
              SocketSplice.join(
                  ar.result(),
                  upstream,
                  done -> publish(capture, done.clientToServer(), done.serverToClient(), done.error()));
            });
  }

  private void fail(HttpServerRequest req, TunnelCapture capture, String message) {
    HttpServerResponse out = req.response();
    if (!out.headWritten() && !out.closed()) {
      ProxyFailure.BAD_GATEWAY.send(out, message);
      if (capture != null) {
        capture.responseHead(
            ProxyFailure.BAD_GATEWAY.status, ProxyFailure.BAD_GATEWAY.reason, req.version(), out.headers());
      }
    }
    publish(capture, 0, 0, message);
  }

  /** Answers 403 to a {@code CONNECT} the egress policy refuses; recorded flagged refused. */
  void refuse(HttpServerRequest req, TunnelCapture capture, String message) {
    HttpServerResponse out = req.response();
    if (!out.headWritten() && !out.closed()) {
      ProxyFailure.EGRESS_REFUSED.send(out, message);
      if (capture != null) {
        capture.responseHead(
            ProxyFailure.EGRESS_REFUSED.status, ProxyFailure.EGRESS_REFUSED.reason, req.version(), out.headers());
      }
    }
    CapturedExchange done = capture == null ? null : capture.complete(0, 0, "egress_refused: " + message);
    if (done != null) {
      sink.accept(EgressGuard.refused(done));
    }
  }

  private void publish(TunnelCapture capture, long clientToServer, long serverToClient, String error) {
    CapturedExchange done = capture == null ? null : capture.complete(clientToServer, serverToClient, error);
    if (done != null) {
      sink.accept(done);
    }
  }
}
