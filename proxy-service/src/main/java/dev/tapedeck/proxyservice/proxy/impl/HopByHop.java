package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

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

  // Most messages name no header of their own in Connection (none, keep-alive or close): they
  // share these, and no set is built per message.
  private static final HopByHop ONLY_FIXED = new HopByHop(FIXED);
  private static final HopByHop FIXED_AND_CLOSE = new HopByHop(with(FIXED, "close"));

  private final Set<String> names;

  private HopByHop(Set<String> names) {
    // Looked up without case and without a lower-case copy of each name asked about.
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    this.names = set;
  }

  static HopByHop of(MultiMap headers) {
    Set<String> extra = null;
    for (String connection : headers.getAll("connection")) {
      for (String token : connection.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !FIXED.contains(name)) {
          extra = extra == null ? new HashSet<>() : extra;
          extra.add(name);
        }
      }
    }
    if (extra == null) {
      return ONLY_FIXED;
    }
    if (extra.equals(Set.of("close"))) {
      return FIXED_AND_CLOSE;
    }
    extra.addAll(FIXED);
    return new HopByHop(extra);
  }

  private static Set<String> with(Set<String> names, String name) {
    Set<String> all = new HashSet<>(names);
    all.add(name);
    return all;
  }

  boolean contains(String header) {
    return names.contains(header);
  }
}
