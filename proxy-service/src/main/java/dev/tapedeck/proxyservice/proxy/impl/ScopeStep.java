package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.policy.ScopeFilter;
import io.vertx.core.Future;

/**
 * The chain's first step: whether the exchange is recorded. {@code record: false} records
 * nothing; otherwise the filters decide on the request (host, path, method; a tunnel only by its
 * host, the rest travels encrypted), and on the response its status.
 */
final class ScopeStep implements ExchangeInterceptor {
  @Override
  public Future<Void> onRequest(ProxyExchange x) {
    ScopeFilter filter = x.policies.filter();
    x.recorded =
        x.settings.record()
            && (x.kind == ProxyExchange.Kind.TUNNEL
                ? filter.recordsConnection(x.host, x.port)
                : filter.recordsRequest(x.host, x.port, x.path(), x.req.method().name()));
    return DONE;
  }

  @Override
  public Future<Void> onResponse(ProxyExchange x) {
    if (x.recording() && !x.policies.filter().recordsStatus(x.status)) {
      x.dontRecord();
    }
    return DONE;
  }
}
