package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.List;
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

  /** Past this many names (a Connection header naming many), a sorted set is asked instead. */
  private static final int SCANNED = 16;

  private final String[] names;
  private final Set<String> many;
  /** The {@link #lengthBit} of every name's length. */
  private final long lengths;

  private HopByHop(Set<String> names) {
    this.names = names.toArray(String[]::new);
    if (this.names.length > SCANNED) {
      Set<String> sorted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      sorted.addAll(names);
      this.many = sorted;
    } else {
      this.many = null;
    }
    long bits = 0;
    for (String name : this.names) {
      bits |= lengthBit(name.length());
    }
    this.lengths = bits;
  }

  /** Bit n for a length of n, bit 63 for every length of 63 or more. */
  private static long lengthBit(int length) {
    return 1L << Math.min(length, 63);
  }

  static HopByHop of(MultiMap headers) {
    return of(headers.getAll("connection"));
  }

  /** The hop-by-hop headers of a message whose {@code Connection} headers are {@code connections}. */
  static HopByHop of(List<String> connections) {
    if (connections.isEmpty()) {
      return ONLY_FIXED;
    }
    if (connections.size() == 1) {
      // The usual values, told apart without splitting, trimming or a set.
      String only = connections.get(0);
      if (only.equalsIgnoreCase("close")) {
        return FIXED_AND_CLOSE;
      }
      if (only.equalsIgnoreCase("keep-alive")) {
        return ONLY_FIXED;
      }
    }
    Set<String> extra = null;
    for (String connection : connections) {
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

  /**
   * Whether {@code header} is one of them, in any case. Asked of every header of every message: most
   * are rejected by their length alone, the rest compared with the few names of that length, with
   * no lower-case copy made.
   */
  boolean contains(String header) {
    int length = header.length();
    if ((lengths & lengthBit(length)) == 0) {
      return false;
    }
    if (many != null) {
      return many.contains(header);
    }
    for (String name : names) {
      if (name.length() == length && name.equalsIgnoreCase(header)) {
        return true;
      }
    }
    return false;
  }
}
