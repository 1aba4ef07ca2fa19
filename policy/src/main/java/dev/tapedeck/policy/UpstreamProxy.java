package dev.tapedeck.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP proxy that upstream connections are chained through, from a session's {@code
 * upstreamProxy} URL ({@code http://[user:password@]host:port}).
 */
public record UpstreamProxy(String host, int port, String username, String password) {

  /** The proxy {@code url} names; call {@link #problem} first. */
  public static UpstreamProxy parse(String url) {
    URI uri = URI.create(url);
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    return new UpstreamProxy(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort(), user, password);
  }

  /** Why {@code url} is not an upstream proxy URL, or empty if it is one. */
  static Optional<String> problem(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http")) {
        return Optional.of("must be an http://host:port URL of an HTTP proxy");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return Optional.of("must name a host");
      }
      if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return Optional.of("must not carry a path, query or fragment");
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL: " + e.getReason());
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL without its credentials, for logs and the API. */
  public String display() {
    return "http://" + host + ":" + port;
  }
}
