package dev.tapedeck.converter.export.convert;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A path with its id-like segments turned into parameters, as {@code mockd convert --smart-match}
 * does: {@code /users/42/orders/6f1c...} becomes {@code /users/{id}/orders/{id2}}.
 *
 * <p>A segment is an id when it is a number, a UUID, 16 or more hex digits, or a base64-like token
 * (16 or more letters, digits, {@code -_+=}, with both letters and digits, and either mixed case or
 * no separator, so that slugs like {@code release-notes-2024} stay literal).
 *
 * @param template the templated path, parameters written {@code {name}}
 * @param parameters the parameters' names, in path order
 */
public record PathTemplate(String template, List<String> parameters) {

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_+=-]{16,}");

  /** The template of {@code path} (raw, as recorded). */
  public static PathTemplate of(String path) {
    List<String> parameters = new ArrayList<>();
    StringBuilder template = new StringBuilder();
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        template.append('/');
      }
      String segment = segments[i];
      if (isId(segment)) {
        String name = parameters.isEmpty() ? "id" : "id" + (parameters.size() + 1);
        parameters.add(name);
        template.append('{').append(name).append('}');
      } else {
        template.append(segment);
      }
    }
    return new PathTemplate(template.toString(), List.copyOf(parameters));
  }

  /** The path itself, with no parameters. */
  public static PathTemplate literal(String path) {
    return new PathTemplate(path, List.of());
  }

  /** Whether a path segment looks like an identifier rather than a name. */
  public static boolean isId(String segment) {
    if (segment.isEmpty()) {
      return false;
    }
    if (NUMBER.matcher(segment).matches()
        || UUID.matcher(segment).matches()
        || LONG_HEX.matcher(segment).matches()) {
      return true;
    }
    if (!TOKEN.matcher(segment).matches()) {
      return false;
    }
    boolean digit = segment.chars().anyMatch(Character::isDigit);
    boolean upper = segment.chars().anyMatch(Character::isUpperCase);
    boolean lower = segment.chars().anyMatch(Character::isLowerCase);
    boolean separator = segment.indexOf('-') >= 0 || segment.indexOf('_') >= 0;
    return digit && (upper || lower) && ((upper && lower) || !separator);
  }

  /** Whether the path has parameters. */
  public boolean isTemplated() {
    return !parameters.isEmpty();
  }

  /** The values {@code path} gives the parameters, in order, or empty if it does not fit. */
  public List<String> values(String path) {
    String[] templateSegments = template.split("/", -1);
    String[] segments = path.split("/", -1);
    List<String> values = new ArrayList<>();
    if (templateSegments.length != segments.length) {
      return values;
    }
    for (int i = 0; i < segments.length; i++) {
      if (templateSegments[i].startsWith("{") && templateSegments[i].endsWith("}")) {
        values.add(segments[i]);
      }
    }
    return values;
  }
}
