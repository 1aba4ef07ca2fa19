package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Decides where an HTTP request goes: the one step in which reverse and forward mode differ.
 * Everything after it (streaming, capture, failure mapping) is {@link HttpForwarder}'s.
 */
@FunctionalInterface
interface TargetResolver {

  /** Reverse mode: the session's target URL, its path a prefix of every request path. */
  TargetResolver REVERSE = (req, s) -> reverse(req.uri(), s);

  /** Forward mode: the host the absolute-form request-target names. */
  TargetResolver ABSOLUTE_URI = (req, s) -> AbsoluteUri.parse(req.uri());

  /** Where a request for {@code requestUri} goes in reverse mode, on either data plane. */
  static UpstreamTarget reverse(String requestUri, SessionSettings s) {
    String uri = s.targetBasePath() + requestUri;
    return new UpstreamTarget(s.targetHost(), s.targetPort(), s.targetTls(), uri, s.targetOrigin() + uri);
  }

  /**
   * The target of {@code req}.
   *
   * @throws BadProxyRequest when the request names no target this mode can serve
   */
  UpstreamTarget resolve(HttpServerRequest req, SessionSettings settings) throws BadProxyRequest;

  /**
   * The target of {@code req}, or null once the request was answered 400 for naming none this
   * mode can serve (not recorded: nothing went upstream).
   */
  default UpstreamTarget resolveOrRefuse(HttpServerRequest req, SessionSettings settings) {
    try {
      return resolve(req, settings);
    } catch (BadProxyRequest e) {
      ProxyFailure.BAD_REQUEST.send(req.response(), e.getMessage());
      return null;
    }
  }

  /**
   * The client's address: the connection's peer, unless the request arrived through an
   * interception hop on loopback that knows the real client.
   */
  default SocketAddress client(HttpServerRequest req) {
    return req.remoteAddress();
  }
}
