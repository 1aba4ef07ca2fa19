package dev.tapedeck.policy.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A WireMock string matcher on the values of a query parameter or header: {@code equalTo} (with
 * {@code caseInsensitive}), {@code contains}, {@code doesNotContain}, {@code matches}, {@code
 * doesNotMatch} (RE2 syntax), {@code absent}, {@code hasExactly} and {@code includes} (lists of
 * matchers). A plain string is {@code equalTo}.
 */
public abstract class ValueMatcher {
  /** Longest regex a mock may hold, as for the session's patterns. */
  static final int MAX_REGEX = 1000;

  /** Whether the values (empty: absent) match. */
  public abstract boolean matches(List<String> values);

  /** What the matcher asks for, for a miss report. */
  public abstract String describe();

  /** The matcher in {@code node}; {@code field} names it in errors. */
  public static ValueMatcher parse(JsonNode node, String field) {
    if (node.isTextual()) {
      return single(v -> v.equals(node.asText()), "equalTo " + node.asText());
    }
    if (!node.isObject()) {
      throw new InvalidMock(field, "must be a string or a matcher object (equalTo, matches, contains, absent, ...)");
    }
    boolean caseInsensitive = node.path("caseInsensitive").asBoolean(false);
    if (node.has("equalTo")) {
      String expected = node.get("equalTo").asText();
      return caseInsensitive
          ? single(v -> v.equalsIgnoreCase(expected), "equalTo " + expected + " (any case)")
          : single(v -> v.equals(expected), "equalTo " + expected);
    }
    if (node.has("contains")) {
      String part = node.get("contains").asText();
      return single(v -> v.contains(part), "contains " + part);
    }
    if (node.has("doesNotContain")) {
      String part = node.get("doesNotContain").asText();
      return single(v -> !v.contains(part), "doesNotContain " + part);
    }
    if (node.has("matches")) {
      Pattern p = regex(node.get("matches").asText(), field + ".matches");
      return single(v -> p.matcher(v).matches(), "matches " + p.pattern());
    }
    if (node.has("doesNotMatch")) {
      Pattern p = regex(node.get("doesNotMatch").asText(), field + ".doesNotMatch");
      return single(v -> !p.matcher(v).matches(), "doesNotMatch " + p.pattern());
    }
    if (node.has("absent")) {
      boolean absent = node.get("absent").asBoolean(true);
      return new ValueMatcher() {
        @Override
        public boolean matches(List<String> values) {
          return values.isEmpty() == absent;
        }

        @Override
        public String describe() {
          return absent ? "absent" : "present";
        }
      };
    }
    if (node.has("hasExactly") || node.has("includes")) {
      boolean exactly = node.has("hasExactly");
      JsonNode list = node.get(exactly ? "hasExactly" : "includes");
      if (!list.isArray()) {
        throw new InvalidMock(field, "hasExactly and includes take a list of matchers");
      }
      List<ValueMatcher> each = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        each.add(parse(list.get(i), field + "[" + i + "]"));
      }
      return new ValueMatcher() {
        @Override
        public boolean matches(List<String> values) {
          if (exactly && values.size() != each.size()) {
            return false;
          }
          return each.stream().allMatch(m -> values.stream().anyMatch(v -> m.matches(List.of(v))));
        }

        @Override
        public String describe() {
          return (exactly ? "hasExactly " : "includes ") + each.stream().map(ValueMatcher::describe).toList();
        }
      };
    }
    throw new InvalidMock(
        field, "has no matcher this version knows (equalTo, contains, doesNotContain, matches, doesNotMatch, absent,"
            + " hasExactly, includes)");
  }

  static Pattern regex(String text, String field) {
    if (text.length() > MAX_REGEX) {
      throw new InvalidMock(field, "is longer than " + MAX_REGEX + " characters");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new InvalidMock(field, "is not a valid RE2 regular expression: " + e.getDescription());
    }
  }

  private static ValueMatcher single(java.util.function.Predicate<String> test, String description) {
    String shown = description.length() > 200 ? description.substring(0, 200) + "..." : description;
    return new ValueMatcher() {
      @Override
      public boolean matches(List<String> values) {
        return values.stream().anyMatch(test);
      }

      @Override
      public String describe() {
        return shown.toLowerCase(Locale.ROOT).startsWith("equalto ") ? shown.substring(8) : shown;
      }
    };
  }
}
