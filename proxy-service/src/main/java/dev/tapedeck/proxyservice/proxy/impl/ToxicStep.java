package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.policy.ToxicEngine;
import dev.tapedeck.proxyservice.policy.ToxicPlan;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The chain's fourth step: the session's toxics, its network profile and the global chaos, drawn
 * as one {@link ToxicPlan} per exchange. An HTTP exchange gets its protocol's toxics (http, sse,
 * grpc); a WebSocket's handshake gets the connection toxics and chaos, a tunnel those and the
 * {@code http} bandwidths ({@link ToxicEngine#TUNNEL}), and a WebSocket's frames its {@code
 * websocket} toxics ({@link dev.tapedeck.proxyservice.policy.FrameToxics}). A
 * reset, a stall or an injected error becomes the exchange's answer; the delay holds the response
 * head back on the way back.
 */
final class ToxicStep implements ExchangeInterceptor {
  @Override
  public Future<Void> onRequest(ProxyExchange x) {
    ToxicEngine engine = x.policies.toxics();
    x.plan =
        engine.plan(
            switch (x.kind) {
              case HTTP -> Protocols.of(x.req);
              case WEBSOCKET -> ToxicEngine.CONNECTION;
              case TUNNEL -> ToxicEngine.TUNNEL;
            });
    if (x.kind == ProxyExchange.Kind.WEBSOCKET) {
      x.frameToxics = engine.frames();
    }
    if (x.answer == null) {
      ToxicPlan plan = x.plan;
      if (plan.reset()) {
        x.answer = ToxicAnswers.RESET;
      } else if (plan.stallMs() > 0) {
        x.answer = ToxicAnswers.STALL;
      } else if (plan.errorStatus() > 0) {
        x.answer = ToxicAnswers.ERROR;
      }
    }
    return DONE;
  }

  @Override
  public Future<Void> onResponse(ProxyExchange x) {
    long delay = x.plan.delayMs();
    if (delay <= 0) {
      return DONE;
    }
    Promise<Void> later = Promise.promise();
    x.vertx.setTimer(delay, id -> later.complete());
    return later.future();
  }
}
