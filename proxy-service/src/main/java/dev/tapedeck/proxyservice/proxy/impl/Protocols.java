package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/** Which protocol's toxics apply to a request, told from its head. */
final class Protocols {
  private Protocols() {}

  static String of(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return "websocket";
    }
    String type = req.getHeader("Content-Type");
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/grpc")) {
      return "grpc";
    }
    String accept = req.getHeader("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream")) {
      return "sse";
    }
    return "http";
  }
}
