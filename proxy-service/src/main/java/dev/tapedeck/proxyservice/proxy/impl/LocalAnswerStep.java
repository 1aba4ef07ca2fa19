package dev.tapedeck.proxyservice.proxy.impl;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chain's second step: an answer from the proxy itself instead of the upstream. Each source
 * (Map Local, playback) is asked in turn; the first that has an answer for the exchange sets it.
 * Modification rules, toxics and capture still apply to it, as to an upstream answer.
 */
final class LocalAnswerStep implements ExchangeInterceptor {
  /** No local answers: every exchange goes upstream. */
  static final LocalAnswerStep NONE = new LocalAnswerStep(List.of());

  private final List<Function<ProxyExchange, Optional<LocalAnswer>>> sources;

  LocalAnswerStep(List<Function<ProxyExchange, Optional<LocalAnswer>>> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public io.vertx.core.Future<Void> onRequest(ProxyExchange x) {
    for (Function<ProxyExchange, Optional<LocalAnswer>> source : sources) {
      Optional<LocalAnswer> answer = source.apply(x);
      if (answer.isPresent()) {
        x.answer = answer.get();
        break;
      }
    }
    return DONE;
  }
}
