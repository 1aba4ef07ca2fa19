package dev.tapedeck.converter.export.convert;

import com.google.re2j.Pattern;
import java.util.Optional;

/**
 * A {@code --status} value: an exact code ({@code 404}) or a class ({@code 2xx}).
 *
 * @param low the lowest status selected
 * @param high the highest status selected
 */
public record StatusSelector(int low, int high) {

  private static final Pattern EXACT = Pattern.compile("[1-5][0-9][0-9]");
  private static final Pattern CLASS = Pattern.compile("[1-5][xX][xX]");

  /** The selector {@code text} names, if it names one. */
  public static Optional<StatusSelector> parse(String text) {
    String value = text.trim();
    if (EXACT.matcher(value).matches()) {
      int code = Integer.parseInt(value);
      return Optional.of(new StatusSelector(code, code));
    }
    if (CLASS.matcher(value).matches()) {
      int low = (value.charAt(0) - '0') * 100;
      return Optional.of(new StatusSelector(low, low + 99));
    }
    return Optional.empty();
  }

  /** Whether {@code status} is selected. */
  public boolean matches(int status) {
    return status >= low && status <= high;
  }
}
