package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarCookie;
import dev.tapedeck.proto.capture.v1.Header;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/** Cookies as HAR lists them: from a request's Cookie headers and a response's Set-Cookie. */
final class HarCookies {

  private HarCookies() {}

  /** The cookies of the request's Cookie headers ({@code a=1; b=2}). */
  static List<HarCookie> fromCookieHeaders(List<Header> headers) {
    List<HarCookie> cookies = new ArrayList<>();
    HarHeaders.values(headers, "Cookie")
        .forEach(
            value -> {
              for (String pair : value.split(";")) {
                HarCookie cookie = nameValue(pair);
                if (cookie != null) {
                  cookies.add(cookie);
                }
              }
            });
    return cookies;
  }

  /** One cookie per Set-Cookie header, with its path, domain, expiry and flags. */
  static List<HarCookie> fromSetCookieHeaders(List<Header> headers) {
    List<HarCookie> cookies = new ArrayList<>();
    HarHeaders.values(headers, "Set-Cookie")
        .forEach(
            value -> {
              String[] parts = value.split(";");
              HarCookie cookie = nameValue(parts[0]);
              if (cookie == null) {
                return;
              }
              for (int i = 1; i < parts.length; i++) {
                applyAttribute(cookie, parts[i].trim());
              }
              cookies.add(cookie);
            });
    return cookies;
  }

  private static HarCookie nameValue(String pair) {
    int eq = pair.indexOf('=');
    String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
    if (name.isEmpty()) {
      return null;
    }
    HarCookie cookie = new HarCookie();
    cookie.setName(name);
    cookie.setValue(eq < 0 ? "" : pair.substring(eq + 1).trim());
    return cookie;
  }

  private static void applyAttribute(HarCookie cookie, String attribute) {
    int eq = attribute.indexOf('=');
    String name = (eq < 0 ? attribute : attribute.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
    String value = eq < 0 ? "" : attribute.substring(eq + 1).trim();
    switch (name) {
      case "path" -> cookie.setPath(value);
      case "domain" -> cookie.setDomain(value);
      case "expires" -> cookie.setExpires(parseExpires(value));
      case "httponly" -> cookie.setHttpOnly(true);
      case "secure" -> cookie.setSecure(true);
      default -> {
        // Max-Age, SameSite, Partitioned: HAR 1.2 has no field for them.
      }
    }
  }

  private static Date parseExpires(String value) {
    try {
      return Date.from(
          ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      // Old and odd formats ("Wed, 21-Oct-2015 ...") are left out rather than guessed.
      return null;
    }
  }
}
