package dev.tapedeck.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * JSON paths in the dotted form people read: {@code $.items[0].name}, and {@code $['a key']} for a
 * member whose name is no identifier. Built while walking a document, and followed in another.
 */
public final class JsonPaths {
  /** The root. */
  public static final String ROOT = "$";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private JsonPaths() {}

  /** The path of member {@code name} under {@code parent}. */
  public static String member(String parent, String name) {
    if (IDENTIFIER.matcher(name).matches()) {
      return parent + "." + name;
    }
    return parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }

  /** The path of element {@code index} under {@code parent}. */
  public static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** Calls {@code visit} with the path of every scalar (string, number, boolean, null) in {@code node}. */
  public static void leaves(JsonNode node, BiConsumer<String, JsonNode> visit) {
    leaves(ROOT, node, visit, 0);
  }

  private static void leaves(String path, JsonNode node, BiConsumer<String, JsonNode> visit, int depth) {
    if (depth > 64) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        leaves(member(path, field.getKey()), field.getValue(), visit, depth + 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leaves(element(path, i), node.get(i), visit, depth + 1);
      }
    } else {
      visit.accept(path, node);
    }
  }

  /** The node at {@code path} in {@code root}, or empty when the path leads nowhere or is malformed. */
  public static Optional<JsonNode> read(JsonNode root, String path) {
    if (root == null || path == null || !path.startsWith(ROOT)) {
      return Optional.empty();
    }
    JsonNode node = root;
    int i = 1;
    while (i < path.length() && node != null) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        node = node.get(path.substring(i + 1, end));
        i = end;
      } else if (c == '[' && i + 1 < path.length() && path.charAt(i + 1) == '\'') {
        StringBuilder name = new StringBuilder();
        int j = i + 2;
        while (j < path.length() && path.charAt(j) != '\'') {
          if (path.charAt(j) == '\\' && j + 1 < path.length()) {
            j++;
          }
          name.append(path.charAt(j++));
        }
        node = node.get(name.toString());
        i = j + 2;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          return Optional.empty();
        }
        try {
          node = node.get(Integer.parseInt(path.substring(i + 1, end)));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        i = end + 1;
      } else {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(node);
  }

  /** The last member name of {@code path} ({@code token} of {@code $.data.token}), or null. */
  public static String lastName(String path) {
    int dot = path.lastIndexOf('.');
    int quote = path.lastIndexOf("['");
    if (quote > dot) {
      return path.substring(quote + 2, Math.max(quote + 2, path.length() - 2));
    }
    if (dot < 0) {
      return null;
    }
    String name = path.substring(dot + 1);
    int bracket = name.indexOf('[');
    return bracket < 0 ? name : name.substring(0, bracket);
  }
}
