package dev.tapedeck.policy.mock;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as mocks see it.
 *
 * @param method the method, upper case
 * @param path the raw path (as sent, without the query)
 * @param rawQuery the raw query, "" for none
 * @param query the query parameters, decoded, in order
 * @param headers the headers by lower-case name, in order
 * @param body the body; null when it was not read (Map Local decides on the head alone)
 */
public record MockRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    byte[] body) {

  /** A request to {@code uri} (path and query) with these headers (name, value pairs). */
  public static MockRequest of(String method, String uri, List<Map.Entry<String, String>> headerList, byte[] body) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String raw = q < 0 ? "" : uri.substring(q + 1);
    int hash = raw.indexOf('#');
    if (hash >= 0) {
      raw = raw.substring(0, hash);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headerList) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    return new MockRequest(method.toUpperCase(Locale.ROOT), path, raw, parseQuery(raw), headers, body);
  }

  /** The values of a header (any case), empty when absent. */
  public List<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The values of a query parameter, empty when absent. */
  public List<String> queryValues(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** The body as UTF-8 text ("" when none or not read). */
  public String bodyText() {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  /** The path and query as the client sent them. */
  public String url() {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
