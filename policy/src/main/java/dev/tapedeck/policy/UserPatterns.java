package dev.tapedeck.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles the regexes users supply (URL rewrites, body replacements) with RE2/J, whose matching
 * time grows linearly with the text, so that no pattern can stall a thread the way a backtracking
 * engine does on {@code (.*a){12}c}. The syntax is RE2's (docs/security.md, "Patterns"): the
 * Java/PCRE features that need backtracking, backreferences and lookaround, are refused with a
 * sentence saying so, and so are patterns longer than {@value #MAX_CHARS} characters or compiling
 * to more than {@value #MAX_PROGRAM} instructions (the per-character cost of a match).
 */
public final class UserPatterns {
  /** Longest pattern (regex or glob) accepted, in characters. */
  public static final int MAX_CHARS = 1000;

  /**
   * Most RE2 instructions a pattern may compile to: bounds the work per character of text, which
   * counted repetition would otherwise multiply ({@code ((a{100}){100}){100}}).
   */
  public static final int MAX_PROGRAM = 3000;

  private UserPatterns() {}

  /**
   * The RE2/J pattern for a user's regex.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong, to follow the field name
   */
  public static Pattern regex(String regex) {
    return regex(regex, 0);
  }

  /**
   * The RE2/J pattern for a user's regex, with RE2/J {@code flags} ({@link
   * Pattern#CASE_INSENSITIVE}).
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong, to follow the field name
   */
  public static Pattern regex(String regex, int flags) {
    if (regex == null || regex.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (regex.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "has " + regex.length() + " characters, at most " + MAX_CHARS + " are allowed");
    }
    Pattern p;
    try {
      p = Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(explain(regex, e));
    }
    return bounded(p);
  }

  /** {@code p}, if its program is within {@link #MAX_PROGRAM}. */
  static Pattern bounded(Pattern p) {
    if (p.programSize() > MAX_PROGRAM) {
      throw new IllegalArgumentException(
          "is too complex: it compiles to "
              + p.programSize()
              + " RE2 instructions, at most "
              + MAX_PROGRAM
              + " are allowed (large counted repetitions such as {1000} multiply it)");
    }
    return p;
  }

  private static String explain(String regex, PatternSyntaxException e) {
    String what = e.getDescription() == null ? e.getMessage() : e.getDescription();
    if (what.contains("invalid escape sequence") && hasBackreference(regex)) {
      return "uses a backreference (\\1, \\k<name>), which RE2 syntax does not support";
    }
    if (regex.contains("(?=") || regex.contains("(?!") || regex.contains("(?<=") || regex.contains("(?<!")) {
      return "uses lookaround ((?=, (?!, (?<=, (?<!), which RE2 syntax does not support";
    }
    if (regex.contains("(?>")) {
      return "uses an atomic group ((?>), which RE2 syntax does not support";
    }
    if (what.contains("invalid nested repetition operator") && hasPossessive(regex)) {
      return "uses a possessive quantifier (*+, ++, ?+), which RE2 syntax does not support";
    }
    return "is not a valid RE2 regex: " + what + (e.getPattern() == null || e.getPattern().isEmpty() ? "" : " `" + e.getPattern() + "`");
  }

  private static boolean hasPossessive(String regex) {
    for (int i = 0; i + 1 < regex.length(); i++) {
      if ("*+?}".indexOf(regex.charAt(i)) >= 0 && regex.charAt(i + 1) == '+') {
        return true;
      }
    }
    return false;
  }

  private static boolean hasBackreference(String regex) {
    for (int i = 0; i + 1 < regex.length(); i++) {
      if (regex.charAt(i) == '\\') {
        char next = regex.charAt(i + 1);
        if ((next >= '1' && next <= '9') || next == 'k') {
          return true;
        }
        i++;
      }
    }
    return false;
  }
}
