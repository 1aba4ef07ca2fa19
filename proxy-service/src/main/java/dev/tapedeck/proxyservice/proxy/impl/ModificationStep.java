package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.policy.Modifier;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The chain's third step: request header rules and URL rewrites on the way up, response header
 * rules on the way back (an HTTP request, and a WebSocket's handshake). Body replacements need the
 * body and run where it streams ({@link BodyRewrite}). A tunnel that is not decrypted carries
 * nothing to modify.
 */
final class ModificationStep implements ExchangeInterceptor {
  @Override
  public Future<Void> onRequest(ProxyExchange x) {
    if (x.kind == ProxyExchange.Kind.TUNNEL || !x.policies.modifies()) {
      return DONE;
    }
    Modifier mod = x.policies.modifier();
    MultiMap headers = HttpHeaders.headers().addAll(x.req.headers());
    x.modified = mod.applyRequestHeaders(headers);
    x.headers = headers;
    String rewritten = mod.rewriteUri(x.uri);
    if (!rewritten.equals(x.uri)) {
      x.uri = rewritten;
      x.modified = true;
    }
    return DONE;
  }

  @Override
  public Future<Void> onResponse(ProxyExchange x) {
    if (x.kind == ProxyExchange.Kind.TUNNEL || !x.policies.modifies()) {
      return DONE;
    }
    MultiMap headers = HttpHeaders.headers().addAll(x.responseHeaders);
    x.modified |= x.policies.modifier().applyResponseHeaders(headers);
    x.responseHeaders = headers;
    return DONE;
  }
}
