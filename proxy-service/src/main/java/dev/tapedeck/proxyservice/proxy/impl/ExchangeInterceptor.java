package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Future;

/**
 * One step of the chain every exchange passes, whatever its kind (HTTP/1.1, HTTP/2, gRPC, SSE,
 * WebSocket, CONNECT tunnel, intercepted TL), in the shape of vertx-http-proxy's {@code
 * ProxyInterceptor}. A step decides; the relay that runs the exchange acts on what the chain
 * decided: it only resolves, connects and pipes.
 *
 * <p>{@link InterceptorChain} runs {@link #onRequest} in the chain's order when the request head
 * is in, and {@link #onResponse} in the reverse order when the response head is in (for a tunnel:
 * once it opened). A step that answers the exchange itself sets {@link ProxyExchange#answer}; the
 * later steps still see the exchange, so the answer is modified, delayed and recorded like an
 * upstream one.
 */
interface ExchangeInterceptor {
  Future<Void> DONE = Future.succeededFuture();

  /** The request head is in; the future completes when the next step may run. */
  default Future<Void> onRequest(ProxyExchange x) {
    return DONE;
  }

  /** The response head is in ({@link ProxyExchange#response}); completes when the next may run. */
  default Future<Void> onResponse(ProxyExchange x) {
    return DONE;
  }
}
