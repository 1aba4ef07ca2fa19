package dev.tapedeck.converter.export.convert;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A captured absolute URL cut into the parts conversions need, without {@link java.net.URI}'s
 * strictness: recorded URLs may carry characters a client sent unencoded.
 *
 * @param origin scheme, host and port ({@code http://api.example.test:8080}), empty for a relative
 *     URL
 * @param host the host name, lower case, without port or brackets
 * @param path the raw path, {@code /} when empty
 * @param rawQuery the raw query string without {@code ?}, empty when none
 */
public record RequestUrl(String origin, String host, String path, String rawQuery) {

  /** Parses a captured URL. */
  public static RequestUrl parse(String url) {
    String rest = url;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    String origin = "";
    int scheme = rest.indexOf("://");
    if (scheme > 0 && rest.substring(0, scheme).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      int pathStart = indexOfAny(rest, scheme + 3, "/?");
      origin = pathStart < 0 ? rest : rest.substring(0, pathStart);
      rest = pathStart < 0 ? "" : rest.substring(pathStart);
    }
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    String path = rest.isEmpty() ? "/" : rest;
    return new RequestUrl(origin, hostOf(origin), path, query);
  }

  /** The query's parameters in order, names and values URL-decoded; repeated names repeat. */
  public List<QueryParam> query() {
    return parseQuery(rawQuery);
  }

  /** Parses {@code name=value&...} (a query string or a form body). */
  public static List<QueryParam> parseQuery(String rawQuery) {
    List<QueryParam> params = new ArrayList<>();
    if (rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      params.add(new QueryParam(decode(name), decode(value)));
    }
    return params;
  }

  /** The path with its percent-escapes undone. */
  public String decodedPath() {
    return decode(path.replace("+", "%2B"));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a stray %: keep it as sent
    }
  }

  private static String hostOf(String origin) {
    if (origin.isEmpty()) {
      return "";
    }
    String authority = origin.substring(origin.indexOf("://") + 3);
    int at = authority.lastIndexOf('@');
    authority = authority.substring(at + 1);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return (close < 0 ? authority.substring(1) : authority.substring(1, close))
          .toLowerCase(Locale.ROOT);
    }
    int colon = authority.indexOf(':');
    return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
  }

  private static int indexOfAny(String text, int from, String chars) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One decoded query parameter.
   *
   * @param name the name
   * @param value the value, empty for {@code ?flag}
   */
  public record QueryParam(String name, String value) {}
}
