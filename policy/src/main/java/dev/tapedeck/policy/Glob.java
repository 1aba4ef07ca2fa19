package dev.tapedeck.policy;

import com.google.re2j.Pattern;

/**
 * Glob patterns for hosts and paths, translated to RE2/J {@link Pattern}s, which match in time
 * linear in the text whatever the glob ({@code *a*a*a*a*b} included).
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
 * example.com}. A glob has at most {@value UserPatterns#MAX_CHARS} characters.
 */
public final class Glob {
  private Glob() {}

  /**
   * The RE2/J pattern for {@code glob}.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static Pattern compile(String glob, boolean ignoreCase) {
    String regex = regex(glob);
    try {
      return UserPatterns.bounded(Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getDescription());
    }
  }

  /**
   * The regex source for {@code glob}, unanchored, in the syntax RE2, Java and PCRE read alike:
   * {@code .*}, {@code .}, {@code [...]}, {@code (?:a|b)} and backslash-escaped punctuation.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static String regex(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (glob.length() > UserPatterns.MAX_CHARS) {
      throw new IllegalArgumentException(
          "has " + glob.length() + " characters, at most " + UserPatterns.MAX_CHARS + " are allowed");
    }
    StringBuilder re = new StringBuilder();
    boolean inGroup = false;
    boolean lastStar = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      boolean star = c == '*';
      if (star && lastStar) {
        continue; // ** is the same set of texts as *; one .* keeps the program small
      }
      lastStar = star;
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (i + 1 >= glob.length()) {
            throw new IllegalArgumentException("ends with an escaping \\");
          }
          literal(re, glob.charAt(++i));
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
          re.append(negate ? "[^" : "[");
          for (int k = 0; k < set.length(); k++) {
            char s = set.charAt(k);
            // A range's dash stays; anything else that a class could read as syntax is escaped.
            boolean range = s == '-' && k > 0 && k < set.length() - 1;
            if (range || Character.isLetterOrDigit(s)) {
              re.append(s);
            } else {
              literal(re, s);
            }
          }
          re.append(']');
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
        default -> literal(re, c);
      }
    }
    if (inGroup) {
      throw new IllegalArgumentException("has an unclosed {");
    }
    return re.toString();
  }

  /** Longest host name, and the most characters a host-glob search looks at. */
  public static final int MAX_HOST = 253;

  /** Most {@code *} wildcards a host-glob search may have. */
  public static final int MAX_SEARCH_STARS = 2;

  /**
   * A host glob as a regex for a database's backtracking engine (MongoDB's {@code $regex} is PCRE;
   * the embedded stack's is {@code java.util.regex}), bounded so it cannot backtrack for long: the
   * glob is checked with RE2/J as everywhere, has at most {@value #MAX_HOST} characters and {@value
   * #MAX_SEARCH_STARS} {@code *}; the regex is anchored, and a lookahead fails any text longer than
   * {@value #MAX_HOST} characters at once, so the work per document is at most quadratic in 253.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static String boundedHostRegex(String glob) {
    if (glob != null && glob.length() > MAX_HOST) {
      throw new IllegalArgumentException("has " + glob.length() + " characters, at most " + MAX_HOST + " are allowed");
    }
    compile(glob, true);
    if (stars(glob) > MAX_SEARCH_STARS) {
      throw new IllegalArgumentException("has " + stars(glob) + " *, at most " + MAX_SEARCH_STARS + " are allowed");
    }
    return "^(?=.{0," + MAX_HOST + "}$)" + regex(glob) + "$";
  }

  /** How many {@code *} wildcards {@code glob} has (a run of them counts once). */
  public static int stars(String glob) {
    int stars = 0;
    boolean lastStar = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\') {
        i++;
        lastStar = false;
      } else {
        if (c == '*' && !lastStar) {
          stars++;
        }
        lastStar = c == '*';
      }
    }
    return stars;
  }

  /** {@code c} as a literal: ASCII punctuation backslash-escaped, which all three syntaxes read alike. */
  private static void literal(StringBuilder re, char c) {
    if (c < 128 && !Character.isLetterOrDigit(c) && c != ' ' && c != '_' && c != ',' && c >= 0x21) {
      re.append('\\');
    }
    re.append(c);
  }
}
