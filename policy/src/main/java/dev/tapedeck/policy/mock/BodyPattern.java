package dev.tapedeck.policy.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One of a mock's {@code bodyPatterns}, as WireMock writes them: {@code equalToJson} (with {@code
 * ignoreExtraElements}, {@code ignoreArrayOrder} and JsonUnit's {@code ${json-unit.ignore}},
 * {@code ${json-unit.any-string}}, {@code -any-number}, {@code -any-boolean} placeholders, which is
 * how the converter loosens the fields that varied in a recording), {@code equalTo}, {@code
 * contains}, {@code matches}, {@code binaryEqualTo}, {@code matchesJsonPath} and {@code absent}.
 */
abstract class BodyPattern {
  private static final ObjectMapper JSON = new ObjectMapper();

  abstract boolean matches(byte[] body, String text);

  abstract String describe();

  static BodyPattern parse(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new InvalidMock(field, "must be a matcher object (equalToJson, equalTo, contains, matches, ...)");
    }
    if (node.has("equalToJson")) {
      JsonNode expected = node.get("equalToJson");
      if (expected.isTextual()) {
        try {
          expected = JSON.readTree(expected.asText());
        } catch (JsonProcessingException e) {
          throw new InvalidMock(field + ".equalToJson", "is not JSON: " + e.getOriginalMessage());
        }
      }
      JsonNode want = expected;
      boolean extra = node.path("ignoreExtraElements").asBoolean(false);
      boolean anyOrder = node.path("ignoreArrayOrder").asBoolean(false);
      return new BodyPattern() {
        @Override
        boolean matches(byte[] body, String text) {
          JsonNode actual;
          try {
            actual = JSON.readTree(body);
          } catch (java.io.IOException e) {
            return false;
          }
          return actual != null && jsonEquals(want, actual, extra, anyOrder);
        }

        @Override
        String describe() {
          return "equalToJson " + abbreviate(want.toString());
        }
      };
    }
    if (node.has("equalTo")) {
      String expected = node.get("equalTo").asText();
      boolean any = node.path("caseInsensitive").asBoolean(false);
      return text(t -> any ? t.equalsIgnoreCase(expected) : t.equals(expected), "equalTo " + abbreviate(expected));
    }
    if (node.has("contains")) {
      String part = node.get("contains").asText();
      return text(t -> t.contains(part), "contains " + abbreviate(part));
    }
    if (node.has("matches")) {
      Pattern p = ValueMatcher.regex(node.get("matches").asText(), field + ".matches");
      return text(t -> p.matcher(t).matches(), "matches " + abbreviate(p.pattern()));
    }
    if (node.has("binaryEqualTo")) {
      byte[] expected;
      try {
        expected = Base64.getDecoder().decode(node.get("binaryEqualTo").asText());
      } catch (IllegalArgumentException e) {
        throw new InvalidMock(field + ".binaryEqualTo", "is not base64");
      }
      return new BodyPattern() {
        @Override
        boolean matches(byte[] body, String text) {
          return Arrays.equals(expected, body);
        }

        @Override
        String describe() {
          return "binaryEqualTo " + expected.length + " bytes";
        }
      };
    }
    if (node.has("matchesJsonPath")) {
      JsonNode spec = node.get("matchesJsonPath");
      String expression = spec.isTextual() ? spec.asText() : spec.path("expression").asText();
      JsonPaths.check(expression, field + ".matchesJsonPath");
      ValueMatcher value = null;
      if (spec.isObject()) {
        com.fasterxml.jackson.databind.node.ObjectNode rest = spec.deepCopy();
        rest.remove("expression");
        if (!rest.isEmpty()) {
          value = ValueMatcher.parse(rest, field + ".matchesJsonPath");
        }
      }
      ValueMatcher then = value;
      return new BodyPattern() {
        @Override
        boolean matches(byte[] body, String text) {
          JsonNode root;
          try {
            root = JSON.readTree(body);
          } catch (java.io.IOException e) {
            return false;
          }
          if (root == null) {
            return false;
          }
          JsonNode found = JsonPaths.at(root, expression);
          if (found.isMissingNode()) {
            return false;
          }
          return then == null || then.matches(List.of(found.isValueNode() ? found.asText() : found.toString()));
        }

        @Override
        String describe() {
          return "matchesJsonPath " + expression + (then == null ? "" : " " + then.describe());
        }
      };
    }
    if (node.has("absent")) {
      return new BodyPattern() {
        @Override
        boolean matches(byte[] body, String text) {
          return body.length == 0;
        }

        @Override
        String describe() {
          return "no body";
        }
      };
    }
    throw new InvalidMock(
        field, "has no body matcher this version knows (equalToJson, equalTo, contains, matches, binaryEqualTo,"
            + " matchesJsonPath, absent)");
  }

  private static BodyPattern text(java.util.function.Predicate<String> test, String description) {
    return new BodyPattern() {
      @Override
      boolean matches(byte[] body, String text) {
        return test.test(text);
      }

      @Override
      String describe() {
        return description;
      }
    };
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** JSON equality as JsonUnit (WireMock's) sees it, with its placeholders. */
  static boolean jsonEquals(JsonNode want, JsonNode actual, boolean extra, boolean anyOrder) {
    if (want.isTextual()) {
      switch (want.asText()) {
        case "${json-unit.ignore}", "${json-unit.any}" -> {
          return true;
        }
        case "${json-unit.any-string}" -> {
          return actual.isTextual();
        }
        case "${json-unit.any-number}" -> {
          return actual.isNumber();
        }
        case "${json-unit.any-boolean}" -> {
          return actual.isBoolean();
        }
        default -> {
          return actual.isTextual() && actual.asText().equals(want.asText());
        }
      }
    }
    if (want.isNumber()) {
      return actual.isNumber() && actual.decimalValue().compareTo(want.decimalValue()) == 0;
    }
    if (want.isObject()) {
      if (!actual.isObject() || (!extra && actual.size() != want.size())) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode a = actual.get(f.getKey());
        if (a == null) {
          if (f.getValue().isTextual() && f.getValue().asText().equals("${json-unit.ignore}")) {
            continue;
          }
          return false;
        }
        if (!jsonEquals(f.getValue(), a, extra, anyOrder)) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!actual.isArray() || (actual.size() != want.size() && !extra)) {
        return false;
      }
      if (actual.size() < want.size()) {
        return false;
      }
      if (!anyOrder) {
        if (actual.size() != want.size()) {
          return false;
        }
        for (int i = 0; i < want.size(); i++) {
          if (!jsonEquals(want.get(i), actual.get(i), extra, anyOrder)) {
            return false;
          }
        }
        return true;
      }
      List<JsonNode> left = new ArrayList<>();
      actual.forEach(left::add);
      for (JsonNode w : want) {
        boolean found = false;
        for (Iterator<JsonNode> it = left.iterator(); it.hasNext(); ) {
          if (jsonEquals(w, it.next(), extra, anyOrder)) {
            it.remove();
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return extra || left.isEmpty();
    }
    return want.equals(actual);
  }
}
