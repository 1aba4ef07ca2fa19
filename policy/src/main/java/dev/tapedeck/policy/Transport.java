package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a session's proxy connects to clients and upstreams beyond plain forwarding: HTTPS
 * interception, upstream TLS, an upstream proxy to chain through, and whether the proxy says it
 * was there ({@code Via}, {@code X-Forwarded-*}).
 *
 * @param upstreamProxy {@code http://[user:password@]host:port} of an HTTP proxy every upstream
 *     connection goes through; null to connect directly
 * @param forwardedHeaders add {@code Via} and {@code X-Forwarded-For/-Proto/-Host} to requests
 *     going upstream (off by default: the upstream sees the request as the client sent it)
 * @param proxyAuth the credential clients must present to use the session's port; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transport(
    Mitm mitm, UpstreamTls upstreamTls, String upstreamProxy, Boolean forwardedHeaders, ProxyAuth proxyAuth) {
  public static final Transport DIRECT = new Transport(null, null, null, null, null);

  /** Transport settings without proxy authentication. */
  public Transport(Mitm mitm, UpstreamTls upstreamTls, String upstreamProxy, Boolean forwardedHeaders) {
    this(mitm, upstreamTls, upstreamProxy, forwardedHeaders, null);
  }

  public Transport {
    mitm = mitm == null ? Mitm.OFF : mitm;
    upstreamTls = upstreamTls == null ? UpstreamTls.DEFAULT : upstreamTls;
    upstreamProxy = upstreamProxy == null || upstreamProxy.isBlank() ? null : upstreamProxy.trim();
    forwardedHeaders = forwardedHeaders != null && forwardedHeaders;
  }
}
