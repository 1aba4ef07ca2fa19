package dev.tapedeck.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as mockd writes them: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 100us}. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * The duration in milliseconds.
   *
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  public static long millis(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "is not a duration such as \"50ms\", \"1.5s\" or \"2m\"");
    }
    double value = Double.parseDouble(m.group(1));
    double factor =
        switch (m.group(2)) {
          case "us", "µs" -> 0.001;
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    return Math.round(value * factor);
  }
}
