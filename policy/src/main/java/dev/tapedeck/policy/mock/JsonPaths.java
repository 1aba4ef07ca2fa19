package dev.tapedeck.policy.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The simple JSON paths mocks and templates use: {@code $}, {@code .name}, {@code ['name']} and
 * {@code [index]} steps ({@code $.items[0].id}). Filters and wildcards are not supported.
 */
final class JsonPaths {
  private JsonPaths() {}

  /** Checks {@code path}; throws {@link InvalidMock} for what this evaluator cannot read. */
  static void check(String path, String field) {
    if (!path.startsWith("$")) {
      throw new InvalidMock(field, "must start with $ ($.items[0].id)");
    }
    if (path.contains("*") || path.contains("?(") || path.contains("..")) {
      throw new InvalidMock(field, "uses wildcards, filters or deep scans, which mocks do not support");
    }
  }

  /** The node at {@code path} in {@code root}; missing when there is none. */
  static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    int i = 1;
    while (i < path.length() && node != null && !node.isMissingNode()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        node = node.path(path.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          return MissingNode.getInstance();
        }
        String inside = path.substring(i + 1, close).trim();
        if (inside.startsWith("'") && inside.endsWith("'") && inside.length() >= 2) {
          node = node.path(inside.substring(1, inside.length() - 1));
        } else {
          try {
            node = node.path(Integer.parseInt(inside));
          } catch (NumberFormatException e) {
            return MissingNode.getInstance();
          }
        }
        i = close + 1;
      } else {
        return MissingNode.getInstance();
      }
    }
    return node == null ? MissingNode.getInstance() : node;
  }
}
