package dev.tapedeck.control.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.correlation.JsonPaths;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Compares two JSON documents member by member and element by element, calling back with the path
 * of every value that differs (a member or element on one side only included, with null on the
 * other). Numbers compare by value ({@code 1} equals {@code 1.0}).
 */
final class JsonDiff {
  private JsonDiff() {}

  /** A changed value: its path and the two sides (null where absent). */
  interface Change extends BiConsumer<String, JsonNode[]> {}

  static void diff(JsonNode recorded, JsonNode actual, Change out) {
    diff(JsonPaths.ROOT, recorded, actual, out, 0);
  }

  private static void diff(String path, JsonNode recorded, JsonNode actual, Change out, int depth) {
    if (recorded == null || actual == null) {
      if (recorded != actual) {
        out.accept(path, new JsonNode[] {recorded, actual});
      }
      return;
    }
    if (depth < 64 && recorded.isObject() && actual.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      recorded.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        diff(JsonPaths.member(path, name), recorded.get(name), actual.get(name), out, depth + 1);
      }
    } else if (depth < 64 && recorded.isArray() && actual.isArray()) {
      int n = Math.max(recorded.size(), actual.size());
      for (int i = 0; i < n; i++) {
        diff(JsonPaths.element(path, i), recorded.get(i), actual.get(i), out, depth + 1);
      }
    } else if (recorded.isNumber() && actual.isNumber()) {
      if (recorded.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.accept(path, new JsonNode[] {recorded, actual});
      }
    } else if (!recorded.equals(actual)) {
      out.accept(path, new JsonNode[] {recorded, actual});
    }
  }

}
