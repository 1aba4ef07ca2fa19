package dev.tapedeck.correlation;

import java.util.regex.Pattern;

/** What a value looks like: {@code jwt}, {@code uuid}, {@code numeric}, {@code token} or {@code string}. */
public final class ValueTypes {
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  /** A UUID in its canonical text form, any version. */
  public static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern NUMERIC = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-.~+/=]{16,}");

  private ValueTypes() {}

  /** The type of {@code value}. */
  public static String of(String value) {
    if (JWT.matcher(value).matches()) {
      return "jwt";
    }
    if (UUID.matcher(value).matches()) {
      return "uuid";
    }
    if (NUMERIC.matcher(value).matches()) {
      return "numeric";
    }
    if (TOKEN.matcher(value).matches() && value.chars().anyMatch(Character::isDigit)
        && value.chars().anyMatch(Character::isLetter)) {
      return "token";
    }
    return "string";
  }

  /** Whether {@code value} is digits only (with an optional sign and fraction). */
  public static boolean numeric(String value) {
    return NUMERIC.matcher(value).matches();
  }
}
