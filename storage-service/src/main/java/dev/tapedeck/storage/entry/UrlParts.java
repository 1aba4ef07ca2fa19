package dev.tapedeck.storage.entry;

import java.net.URI;

/**
 * The host and raw path an entry document stores for a URL: what {@link URI#create} gives ({@code
 * getHost()}, {@code getRawPath()}, each "" when absent or when the URL is not a valid URI).
 *
 * <p>Common URLs ({@code http} or {@code https}, a host name of letters, digits, dots and dashes, an
 * optional port, then path, query and fragment of the characters a URI allows without question)
 * are split here directly; any other URL goes through {@link URI}, so the result is the same in
 * every case ({@code UrlPartsTest} compares both on tricky and random URLs).
 *
 * @param host the host, or ""
 * @param path the raw (still percent-encoded) path, or ""
 */
record UrlParts(String host, String path) {

  private static final UrlParts NONE = new UrlParts("", "");

  /** The host and raw path of {@code url}. */
  static UrlParts of(String url) {
    UrlParts fast = simple(url);
    return fast != null ? fast : parsed(url);
  }

  /** Through {@link URI}: the reference. */
  static UrlParts parsed(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return NONE;
    }
    return new UrlParts(
        uri.getHost() == null ? "" : uri.getHost(), uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** The parts of a URL of the simple form described above; null for any other URL. */
  static UrlParts simple(String url) {
    int start;
    if (url.startsWith("http://")) {
      start = 7;
    } else if (url.startsWith("https://")) {
      start = 8;
    } else {
      return null;
    }
    int n = url.length();
    // Host: dot-separated labels of letters, digits and inner dashes; the last starts with a
    // letter (so no IPv4 literal, which URI reads by rules of its own).
    int i = start;
    int labelStart = i;
    while (true) {
      if (i >= n || !alphanumeric(url.charAt(i))) {
        return null; // an empty label, or one starting with a dash
      }
      labelStart = i;
      while (i < n && (alphanumeric(url.charAt(i)) || url.charAt(i) == '-')) {
        i++;
      }
      if (url.charAt(i - 1) == '-') {
        return null;
      }
      if (i < n && url.charAt(i) == '.') {
        i++;
        continue;
      }
      break;
    }
    if (!letter(url.charAt(labelStart))) {
      return null;
    }
    int hostEnd = i;
    if (i < n && url.charAt(i) == ':') {
      int digits = ++i;
      while (i < n && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        i++;
      }
      if (i == digits || i - digits > 5) {
        return null;
      }
    }
    if (i < n && url.charAt(i) != '/' && url.charAt(i) != '?' && url.charAt(i) != '#') {
      return null;
    }
    int pathStart = i;
    int pathEnd = -1;
    boolean inFragment = false;
    for (; i < n; i++) {
      char c = url.charAt(i);
      if (c == '?' || c == '#') {
        if (pathEnd < 0) {
          pathEnd = i;
        }
        if (c == '#') {
          if (inFragment) {
            return null;
          }
          inFragment = true;
        }
      } else if (c == '%') {
        if (i + 2 >= n || !hex(url.charAt(i + 1)) || !hex(url.charAt(i + 2))) {
          return null;
        }
        i += 2;
      } else if (!plain(c)) {
        return null;
      }
    }
    if (pathEnd < 0) {
      pathEnd = n;
    }
    return new UrlParts(url.substring(start, hostEnd), url.substring(pathStart, pathEnd));
  }

  private static boolean letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean alphanumeric(char c) {
    return letter(c) || (c >= '0' && c <= '9');
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Characters a URI's path, query and fragment all allow as they are: unreserved ({@code
   * -_.!~*'()}) and {@code :@&=+$,;/}.
   */
  private static boolean plain(char c) {
    if (alphanumeric(c)) {
      return true;
    }
    switch (c) {
      case '-', '_', '.', '!', '~', '*', '\'', '(', ')', ':', '@', '&', '=', '+', '$', ',', ';', '/':
        return true;
      default:
        return false;
    }
  }
}
