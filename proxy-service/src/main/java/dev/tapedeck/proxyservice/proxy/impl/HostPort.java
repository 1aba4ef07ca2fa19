package dev.tapedeck.proxyservice.proxy.impl;

/**
 * A host and port as written in an authority ({@code example.com:8080}, {@code [::1]:443}); the
 * host keeps no brackets.
 */
record HostPort(String host, int port) {

  /**
   * Parses {@code authority}.
   *
   * @param defaultPort the port when the authority names none, or -1 when a port is required
   */
  static HostPort parse(String authority, int defaultPort) throws BadProxyRequest {
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid(authority);
      }
      host = authority.substring(1, close);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw invalid(authority);
      }
      port = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
      if (host.contains(":")) {
        throw invalid(authority);
      }
    }
    if (host.isEmpty()) {
      throw invalid(authority);
    }
    return new HostPort(host, port.isEmpty() ? required(defaultPort, authority) : number(port, authority));
  }

  /** The host in brackets when it is an IPv6 literal, as URLs and authorities write it. */
  static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** host:port, IPv6 literals in brackets. */
  String authority() {
    return bracketed(host) + ":" + port;
  }

  private static int required(int defaultPort, String authority) throws BadProxyRequest {
    if (defaultPort < 0) {
      throw new BadProxyRequest("No port in " + BadProxyRequest.echo(authority) + ": expected host:port");
    }
    return defaultPort;
  }

  private static int number(String port, String authority) throws BadProxyRequest {
    if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(authority);
    }
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) {
      throw invalid(authority);
    }
    return value;
  }

  private static BadProxyRequest invalid(String authority) {
    return new BadProxyRequest("Not a valid host:port: " + BadProxyRequest.echo(authority));
  }
}
