package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.ProxyAuth;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.http.HttpServerRequest;

/**
 * A session's {@code proxyAuth}, checked on every request before anything else: in forward mode
 * {@code Proxy-Authorization: Basic} (407 with {@code Proxy-Authenticate} when missing or wrong),
 * in reverse mode the configured header (401). The credential is removed from the request once
 * checked, so it never goes upstream nor into the recording. Refused requests are not recorded.
 */
final class ProxyAuthCheck {
  static final String REALM = "Basic realm=\"tapedeck\", charset=\"UTF-8\"";

  private ProxyAuthCheck() {}

  /** True when {@code req} may go on; otherwise it has been answered. */
  static boolean admits(HttpServerRequest req, SessionSettings s) {
    ProxyAuth auth = s.transport().proxyAuth();
    if (auth == null) {
      return true;
    }
    if (s.forwardMode()) {
      if (!auth.acceptsBasic(req.getHeader("Proxy-Authorization"))) {
        req.response().putHeader("Proxy-Authenticate", REALM);
        ProxyFailure.PROXY_AUTH_REQUIRED.send(
            req.response(), "This session needs Proxy-Authorization: Basic with the session's proxyAuth credentials");
        return false;
      }
      req.headers().remove("Proxy-Authorization");
      return true;
    }
    if (!auth.acceptsHeader(req.getHeader(auth.header()))) {
      ProxyFailure.UNAUTHORIZED.send(req.response(), "This session needs the " + auth.header() + " header with its proxyAuth value");
      return false;
    }
    req.headers().remove(auth.header());
    return true;
  }
}
