package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * {@code Via} (RFC 9110 section 7.6.3) and the de facto {@code X-Forwarded-For}, {@code
 * -Proto} and {@code -Host}, added to an upstream request when the session asks for them
 * ({@code forwardedHeaders}); each is appended to what the client already sent, as a chain of
 * proxies does.
 */
final class ForwardedHeaders {
  private ForwardedHeaders() {}

  static void add(RequestOptions options, HttpServerRequest req, SocketAddress client) {
    String protocol = req.version() == HttpVersion.HTTP_2 ? "2" : req.version() == HttpVersion.HTTP_1_0 ? "1.0" : "1.1";
    append(options, req, "Via", protocol + " tapedeck");
    if (client != null) {
      append(options, req, "X-Forwarded-For", client.hostAddress());
    }
    if (req.getHeader("X-Forwarded-Proto") == null) {
      options.addHeader("X-Forwarded-Proto", req.isSSL() ? "https" : "http");
    }
    String host = req.authority() == null ? req.getHeader("Host") : req.authority().toString();
    if (host != null && req.getHeader("X-Forwarded-Host") == null) {
      options.addHeader("X-Forwarded-Host", host);
    }
  }

  private static void append(RequestOptions options, HttpServerRequest req, String name, String value) {
    String sent = req.getHeader(name);
    options.removeHeader(name);
    options.addHeader(name, sent == null ? value : sent + ", " + value);
  }
}
