package dev.tapedeck.policy;

import java.util.regex.Pattern;

/**
 * Glob patterns for hosts and paths, translated to {@link java.util.regex.Pattern}s.
 *
 * <p>{@code java.nio.file.PathMatcher} is not used: its {@code *} stops at {@code /}, so {@code
 * /api/*} would miss {@code /api/v1/users}, which the Mockarty and mockd filters record. Here:
 *
 * <ul>
 *   <li>{@code *} matches any run of characters, {@code /} and {@code .} included;
 *   <li>{@code ?} matches one character;
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!a-z]} match one character of (or not of) a set;
 *   <li>{@code {a,b}} matches either alternative (not nested);
 *   <li>{@code \} makes the next character literal; everything else is literal.
 * </ul>
 *
 * The whole text must match: {@code *.example.com} matches {@code api.example.com} but not {@code
 * example.com}.
 */
public final class Glob {
  private Glob() {}

  /**
   * The pattern for {@code glob}.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static Pattern compile(String glob, boolean ignoreCase) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    StringBuilder re = new StringBuilder();
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 >= glob.length()) {
            throw new IllegalArgumentException("ends with an escaping \\");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("has an unclosed [ at position " + i);
          }
          String set = glob.substring(i + 1, end);
          boolean negate = set.startsWith("!") || set.startsWith("^");
          if (negate) {
            set = set.substring(1);
          }
          if (set.isEmpty()) {
            throw new IllegalArgumentException("has an empty [] at position " + i);
          }
          re.append(negate ? "[^" : "[").append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        case '{' -> {
          if (inGroup) {
            throw new IllegalArgumentException("nests { at position " + i);
          }
          inGroup = true;
          re.append("(?:");
        }
        case '}' -> {
          if (!inGroup) {
            throw new IllegalArgumentException("has a } without { at position " + i);
          }
          inGroup = false;
          re.append(')');
        }
        case ',' -> re.append(inGroup ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (inGroup) {
      throw new IllegalArgumentException("has an unclosed {");
    }
    try {
      return Pattern.compile(
          re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("is not a valid glob: " + e.getMessage());
    }
  }
}
