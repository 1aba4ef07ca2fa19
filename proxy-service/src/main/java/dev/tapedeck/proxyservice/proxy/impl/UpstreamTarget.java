package dev.tapedeck.proxyservice.proxy.impl;

/**
 * Where one HTTP request goes.
 *
 * @param uri the request-target sent upstream (path and query)
 * @param url the absolute URL the recording shows
 */
record UpstreamTarget(String host, int port, boolean tls, String uri, String url) {

  /** scheme://host:port, for messages. */
  String origin() {
    return (tls ? "https://" : "http://") + HostPort.bracketed(host) + ":" + port;
  }
}
