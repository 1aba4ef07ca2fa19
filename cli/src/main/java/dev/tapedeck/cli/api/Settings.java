package dev.tapedeck.cli.api;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API is and which key to send: a flag, else {@code TAPEDECK_URL} / {@code
 * TAPEDECK_API_KEY}, else {@code http://localhost:5770} and the admin key file that control-service
 * writes to its data folder ({@code $TAPEDECK_DATA_DIR}, else {@code
 * ${XDG_DATA_HOME:-~/.local/share}/tapedeck}, file {@code admin-api-key}), as {@code make run} does.
 */
public final class Settings {
  /** The API's address when nothing says otherwise. */
  public static final String DEFAULT_URL = "http://localhost:5770";

  /** The admin key file's name in the data folder. */
  public static final String ADMIN_KEY_FILE = "admin-api-key";

  private Settings() {}

  /** The API's base URL, without a trailing slash. */
  public static String url(String flag, Map<String, String> env) {
    String url = firstSet(flag, env.get("TAPEDECK_URL")).orElse(DEFAULT_URL).trim();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ApiException(0, "bad_url", "--url / TAPEDECK_URL is not a URL: \"" + url + "\"");
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new ApiException(
          0, "bad_url", "--url / TAPEDECK_URL must be an http:// or https:// URL: \"" + url + "\"");
    }
    return url;
  }

  /** The API key, or empty when none is given and the admin key file is absent or unreadable. */
  public static Optional<String> apiKey(String flag, Map<String, String> env) {
    Optional<String> given = firstSet(flag, env.get("TAPEDECK_API_KEY"));
    if (given.isPresent()) {
      return given.map(String::trim);
    }
    Path file = dataDir(env).resolve(ADMIN_KEY_FILE);
    try {
      String key = Files.readString(file, StandardCharsets.UTF_8).trim();
      return key.isEmpty() ? Optional.empty() : Optional.of(key);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The local data folder, as control-service chooses it. */
  public static Path dataDir(Map<String, String> env) {
    String dir = env.get("TAPEDECK_DATA_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
    return base.resolve("tapedeck");
  }

  private static Optional<String> firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
