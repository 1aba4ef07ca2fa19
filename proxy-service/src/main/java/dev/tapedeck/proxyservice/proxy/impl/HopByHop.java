package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1), which a proxy must not forward: the fixed set plus
 * whatever the message's own {@code Connection} header names.
 */
final class HopByHop {
  private static final Set<String> FIXED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private final Set<String> names;

  private HopByHop(Set<String> names) {
    this.names = names;
  }

  static HopByHop of(MultiMap headers) {
    Set<String> names = new HashSet<>(FIXED);
    for (String connection : headers.getAll("connection")) {
      for (String token : connection.split(",")) {
        if (!token.isBlank()) {
          names.add(token.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return new HopByHop(names);
  }

  boolean contains(String header) {
    return names.contains(header.toLowerCase(Locale.ROOT));
  }
}
