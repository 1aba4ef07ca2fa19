package dev.tapedeck.proxyservice.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations a GraphQL document defines, read by a light tokenizer rather than a parser: it
 * skips whitespace, commas, comments and strings (block strings included), counts brackets, and
 * notes each top-level definition: {@code query}, {@code mutation} or {@code subscription} with
 * the name that follows, {@code fragment} (skipped), or a bare selection set (an anonymous query).
 *
 * <p>It rejects text that cannot be an executable document (a first word that is not one of those
 * keywords, characters GraphQL does not use), so that a search box's {@code "query": "shoes"}
 * is not taken for GraphQL; it does not check anything else. One pass, no recursion.
 */
final class GraphqlDocument {
  /** One operation definition; {@code name} is empty for an anonymous one. */
  record Operation(String type, String name) {}

  /** The most operations noted; a document rarely defines more than a few. */
  static final int MAX_OPERATIONS = 256;

  private final String src;
  private int pos;

  private GraphqlDocument(String src) {
    this.src = src;
  }

  /**
   * The operations of {@code source} in document order, or null when it does not read as an
   * executable GraphQL document.
   *
   * @param truncated whether {@code source} is only the start of the document: an operation whose
   *     selection set was cut off still counts, and an unterminated string ends the reading
   */
  static List<Operation> operations(String source, boolean truncated) {
    return new GraphqlDocument(source).read(truncated);
  }

  private List<Operation> read(boolean truncated) {
    List<Operation> operations = new ArrayList<>();
    int depth = 0;
    String pendingType = null; // an operation keyword seen at depth 0, its selection set not yet
    String pendingName = "";
    boolean fragment = false;
    boolean nameMayFollow = false;
    while (operations.size() < MAX_OPERATIONS) {
      skipIgnored();
      if (pos >= src.length()) {
        break;
      }
      char c = src.charAt(pos);
      if (c == '"') {
        if (!skipString()) {
          return truncated ? finish(operations, pendingType, pendingName) : null;
        }
        nameMayFollow = false;
        continue;
      }
      if (isNameStart(c)) {
        String name = name();
        if (depth == 0) {
          if (pendingType == null && !fragment) {
            switch (name) {
              case "query", "mutation", "subscription" -> {
                pendingType = name;
                pendingName = "";
                nameMayFollow = true;
                continue;
              }
              case "fragment" -> fragment = true;
              default -> {
                return null;
              }
            }
          } else if (nameMayFollow && pendingType != null) {
            pendingName = name;
          }
        }
        nameMayFollow = false;
        continue;
      }
      nameMayFollow = false;
      if (c == '-' || isDigit(c)) {
        skipNumber();
        continue;
      }
      pos++;
      switch (c) {
        case '{' -> {
          if (depth == 0) {
            if (pendingType != null) {
              operations.add(new Operation(pendingType, pendingName));
            } else if (!fragment) {
              operations.add(new Operation("query", ""));
            }
            pendingType = null;
            fragment = false;
          }
          depth++;
        }
        case '(', '[' -> depth++;
        case '}', ')', ']' -> {
          if (--depth < 0) {
            return null;
          }
        }
        case '.' -> {
          if (!src.startsWith("..", pos)) {
            return null;
          }
          pos += 2;
        }
        case '!', '$', '&', ':', '=', '@', '|' -> {}
        default -> {
          return null;
        }
      }
    }
    return truncated ? finish(operations, pendingType, pendingName) : operations;
  }

  /** At the end of a cut document, an operation whose selection set was cut off still counts. */
  private static List<Operation> finish(
      List<Operation> operations, String pendingType, String pendingName) {
    if (pendingType != null && operations.size() < MAX_OPERATIONS) {
      operations.add(new Operation(pendingType, pendingName));
    }
    return operations;
  }

  /** Skips whitespace, commas, the byte order mark and {@code #} comments. */
  private void skipIgnored() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\uFEFF') {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  /** Skips a string or block string at {@code pos}; false when it does not end. */
  private boolean skipString() {
    if (src.startsWith("\"\"\"", pos)) {
      pos += 3;
      while (pos < src.length()) {
        if (src.startsWith("\\\"\"\"", pos)) {
          pos += 4;
        } else if (src.startsWith("\"\"\"", pos)) {
          pos += 3;
          return true;
        } else {
          pos++;
        }
      }
      return false;
    }
    pos++;
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == '\\') {
        pos++;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  private String name() {
    int start = pos;
    while (pos < src.length() && (isNameStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
      pos++;
    }
    return src.substring(start, pos);
  }

  /** Skips an int or float value: {@code -12}, {@code 1.5e+3}. */
  private void skipNumber() {
    pos++;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      boolean sign = (c == '+' || c == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E');
      if (isDigit(c) || c == '.' || c == 'e' || c == 'E' || sign) {
        pos++;
      } else {
        return;
      }
    }
  }

  private static boolean isNameStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
