package dev.tapedeck.proxyservice.proxy.spi;

import dev.tapedeck.proxyservice.tls.InterceptionCa;
import io.vertx.core.Future;

/** Where a proxy gets the CA that HTTPS interception signs leaf certificates with. */
@FunctionalInterface
public interface InterceptionCaSource {
  /** For proxies that cannot intercept: every interception is refused with this reason. */
  InterceptionCaSource NONE =
      () -> Future.failedFuture("this proxy has no interception CA (tapedeck.internal.token is not set)");

  /** The CA, or a failure saying why there is none. */
  Future<InterceptionCa> ca();
}
