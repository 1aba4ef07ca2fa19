package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.EntryType;
import io.vertx.core.Future;

/**
 * The chain's last step: the recording of an exchange in scope opens, with the request as it goes
 * on (after modification rules) and, when the rules changed it, as the client sent it. The
 * response is recorded as it goes to the client, and {@link ProxyExchange#finish} closes the
 * recording however the exchange ends.
 */
final class CaptureStep implements ExchangeInterceptor {
  @Override
  public Future<Void> onRequest(ProxyExchange x) {
    if (!x.recorded) {
      return DONE;
    }
    if (x.kind == ProxyExchange.Kind.TUNNEL) {
      x.tunnel = new TunnelCapture(x.settings, x.proxyId, x.tunnelTarget, x.req);
      return DONE;
    }
    ExchangeCapture capture =
        new ExchangeCapture(
            x.settings, x.proxyId, part -> CaptureHandoff.publish(x.sink, x.settings, part), x.sink.captureBudget());
    if (x.kind == ProxyExchange.Kind.WEBSOCKET) {
      capture.entryType(EntryType.WEBSOCKET);
    }
    String method = x.req.method().name();
    capture.requestHead(method, x.recordedUrl(), x.req.version(), x.headers, x.clientAddress);
    if (x.modified) {
      capture.originalRequestHead(method, x.target.url(), x.req.version(), x.req.headers());
    }
    x.capture = capture;
    return DONE;
  }
}
