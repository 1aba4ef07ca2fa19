package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Future;
import java.util.List;

/**
 * The chain's second step: an answer from the proxy itself instead of the upstream. Each source
 * (Map Local and playback: {@link MockAnswers}) is asked in turn; the first that has an answer for
 * the exchange sets it. Modification rules, toxics and capture still apply to it, as to an upstream
 * answer.
 */
final class LocalAnswerStep implements ExchangeInterceptor {
  /** No local answers: every exchange goes upstream. */
  static final LocalAnswerStep NONE = new LocalAnswerStep(List.of());

  /** Where local answers come from. */
  interface Source {
    /**
     * The answer for {@code x}, or null for none. A source may take its time (a playback source
     * reads the request body to match it); the request is paused meanwhile.
     */
    Future<LocalAnswer> answer(ProxyExchange x);
  }

  private final List<Source> sources;

  LocalAnswerStep(List<Source> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public Future<Void> onRequest(ProxyExchange x) {
    return ask(x, 0);
  }

  private Future<Void> ask(ProxyExchange x, int i) {
    if (i >= sources.size()) {
      return DONE;
    }
    Future<LocalAnswer> answer = sources.get(i).answer(x);
    // Most sources decide at once (no mocks for the session): go on without a callback.
    if (answer.succeeded()) {
      if (answer.result() != null) {
        x.answer = answer.result();
        return DONE;
      }
      return ask(x, i + 1);
    }
    return answer.compose(
        a -> {
          if (a != null) {
            x.answer = a;
            return DONE;
          }
          return ask(x, i + 1);
        });
  }
}
