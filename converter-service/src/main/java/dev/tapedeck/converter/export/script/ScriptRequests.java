package dev.tapedeck.converter.export.script;

import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the scripts and collections send of a recorded request. */
public final class ScriptRequests {

  // Set by the HTTP client from the URL and the body, or forbidden to scripts (fetch, k6).
  private static final Set<String> CLIENT_SET =
      Set.of(
          "host",
          "content-length",
          "connection",
          "keep-alive",
          "transfer-encoding",
          "upgrade",
          "te",
          "trailer",
          "expect",
          "accept-encoding",
          "proxy-connection",
          "proxy-authorization");

  private ScriptRequests() {}

  /** The recorded headers a client may send as they were. */
  public static List<Header> headers(Exchange exchange) {
    return exchange.requestHeaders().stream()
        .filter(h -> !h.getName().startsWith(":"))
        .filter(h -> !CLIENT_SET.contains(h.getName().toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** The path and query as recorded. */
  public static String pathAndQuery(Exchange exchange) {
    return exchange.url().path()
        + (exchange.url().rawQuery().isEmpty() ? "" : "?" + exchange.url().rawQuery());
  }

  /** A short readable name: {@code GET /users/42}. */
  public static String name(Exchange exchange) {
    return exchange.method() + " " + pathAndQuery(exchange);
  }
}
