package dev.tapedeck.proxyservice.proxy.impl;

import java.util.Locale;

/**
 * Reads the absolute-form request-target a client sends to a forward proxy ({@code GET
 * http://host:port/path?q HTTP/1.1}, RFC 9112 section 3.2.2). Parsed by hand rather than with
 * {@link java.net.URI}, so a path or query the upstream accepts but {@code URI} would refuse passes
 * unchanged, as in reverse mode.
 */
final class AbsoluteUri {

  private AbsoluteUri() {}

  /**
   * The target of {@code requestTarget}; its URL is the request-target without user info or
   * fragment, with path {@code /} when it had none.
   */
  static UpstreamTarget parse(String requestTarget) throws BadProxyRequest {
    int schemeEnd = requestTarget.indexOf("://");
    if (schemeEnd <= 0) {
      throw new BadProxyRequest(
          "A forward proxy needs an absolute URI (GET http://host/path); got "
              + BadProxyRequest.echo(requestTarget));
    }
    String scheme = requestTarget.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new BadProxyRequest("Unsupported scheme " + BadProxyRequest.echo(scheme) + ": only http and https");
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < requestTarget.length() && "/?#".indexOf(requestTarget.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = requestTarget.substring(authorityStart, authorityEnd);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    boolean tls = scheme.equals("https");
    HostPort hostPort = HostPort.parse(authority, tls ? 443 : 80);

    String rest = requestTarget.substring(authorityEnd);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    String uri = rest.startsWith("/") ? rest : "/" + rest;
    return new UpstreamTarget(hostPort.host(), hostPort.port(), tls, uri, scheme + "://" + authority + uri);
  }
}
