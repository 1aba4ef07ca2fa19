package dev.tapedeck.proxyservice.proxy.impl;

/**
 * Where one HTTP request goes.
 *
 * @param uri the request-target sent upstream (path and query)
 * @param url the absolute URL the recording shows
 */
record UpstreamTarget(String host, int port, boolean tls, String uri, String url) {

  /** The recorded URL with {@code newUri} (a rewritten path and query) in place of uri. */
  String urlWith(String newUri) {
    if (newUri.equals(uri)) {
      return url;
    }
    return url.endsWith(uri) ? url.substring(0, url.length() - uri.length()) + newUri : origin() + newUri;
  }

  /** scheme://host:port, for messages. */
  String origin() {
    return (tls ? "https://" : "http://") + HostPort.bracketed(host) + ":" + port;
  }
}
