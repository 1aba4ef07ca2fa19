package dev.tapedeck.converter.export.convert;

import com.google.re2j.Pattern;

/**
 * A host or path glob, with the same semantics as the recording filters ({@link
 * dev.tapedeck.policy.Glob}): {@code *} matches any characters, {@code /} included, so {@code
 * /api/*} keeps everything under {@code /api/} whether it was recorded or converted; {@code ?} one
 * character, {@code {a,b}} alternatives, {@code [a-z]} a class. Hosts compare without case. A glob
 * compiles to an RE2/J pattern: matching takes time linear in the text, whatever the glob.
 */
public final class Glob {

  private final String pattern;
  private final Pattern regex;

  private Glob(String pattern, Pattern regex) {
    this.pattern = pattern;
    this.regex = regex;
  }

  /**
   * Compiles {@code pattern}.
   *
   * @throws IllegalArgumentException when the pattern is not a valid glob
   */
  public static Glob compile(String pattern) {
    return new Glob(pattern, dev.tapedeck.policy.Glob.compile(pattern, true));
  }

  /** Whether {@code value} matches. */
  public boolean matches(String value) {
    return regex.matcher(value).matches();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
