package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Future;
import java.util.List;

/**
 * The ordered steps every exchange passes (docs/policies.md, "Order"):
 *
 * <ol>
 *   <li>{@link ScopeStep}: the filters decide whether the exchange is recorded;
 *   <li>{@link LocalAnswerStep}: an answer from the proxy itself instead of the upstream (Map
 *       Local and playback plug in here);
 *   <li>{@link ModificationStep}: header rules and URL rewrites;
 *   <li>{@link ToxicStep}: toxics, network profile and global chaos: the plan of delays, failures
 *       and pacing;
 *   <li>{@link CaptureStep}: the recording opens with the request as it goes on.
 * </ol>
 *
 * On the way back the steps run in reverse: the toxic delay, response header rules, then the
 * status filter; the recording takes the response as it goes to the client.
 */
final class InterceptorChain {
  private final List<ExchangeInterceptor> steps;

  InterceptorChain(List<ExchangeInterceptor> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The standard chain, with {@code localAnswers} as the local-answer step. */
  static InterceptorChain standard(LocalAnswerStep localAnswers) {
    return new InterceptorChain(
        List.of(new ScopeStep(), localAnswers, new ModificationStep(), new ToxicStep(), new CaptureStep()));
  }

  /** Runs every step's {@link ExchangeInterceptor#onRequest} in order. */
  Future<Void> request(ProxyExchange x) {
    return run(x, 0, true);
  }

  /**
   * Runs the request steps on {@code x} (paused meanwhile), then sends the answer a step set, or
   * hands the exchange to {@code upstream}; a step that fails answers 502 and is recorded.
   */
  void handle(ProxyExchange x, java.util.function.Consumer<ProxyExchange> upstream) {
    x.req.pause();
    request(x)
        .onSuccess(
            v -> {
              if (x.answer != null) {
                x.answer.send(x);
              } else {
                upstream.accept(x);
              }
            })
        .onFailure(t -> x.fail("The session's policies failed on the request: " + t.getMessage()));
  }

  /** Runs every step's {@link ExchangeInterceptor#onResponse}, last step first. */
  Future<Void> response(ProxyExchange x) {
    return run(x, steps.size() - 1, false);
  }

  private Future<Void> run(ProxyExchange x, int i, boolean forward) {
    if (i < 0 || i >= steps.size()) {
      return ExchangeInterceptor.DONE;
    }
    ExchangeInterceptor step = steps.get(i);
    Future<Void> done = forward ? step.onRequest(x) : step.onResponse(x);
    int next = forward ? i + 1 : i - 1;
    // Most steps decide at once: go on without a callback (the hot path).
    if (done.succeeded()) {
      return run(x, next, forward);
    }
    return done.compose(v -> run(x, next, forward));
  }
}
