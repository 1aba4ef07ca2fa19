package dev.tapedeck.converter.export.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The shape of many JSON samples, folded in one at a time, written as a JSON Schema (draft 2020-12,
 * which OpenAPI 3.1 uses; the subset written also reads as draft-07 for Postman's and the test
 * scripts' checks): the types seen at every place, object members with those present in every
 * sample required, array items merged, and string formats every sample agreed on.
 *
 * <p>It holds only the shape, never the samples, so folding a thousand bodies costs what the
 * largest shape costs.
 */
public final class JsonShape {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern URI = Pattern.compile("https?://\\S+");
  // Bounds what a hostile or generated document can make the shape grow to.
  private static final int MAX_DEPTH = 32;
  private static final int MAX_MEMBERS = 500;

  private final TreeSet<String> types = new TreeSet<>();
  private final Map<String, JsonShape> members = new LinkedHashMap<>();
  private final Map<String, Integer> memberCounts = new LinkedHashMap<>();
  private int objects;
  private JsonShape items;
  private String format;
  private boolean formatDecided;
  private final int depth;

  public JsonShape() {
    this(0);
  }

  private JsonShape(int depth) {
    this.depth = depth;
  }

  /** The shape of one sample. */
  public static JsonShape of(JsonNode sample) {
    JsonShape shape = new JsonShape();
    shape.add(sample);
    return shape;
  }

  /** Folds one more sample in. */
  public void add(JsonNode sample) {
    if (sample == null || sample.isMissingNode()) {
      return;
    }
    if (sample.isNull()) {
      types.add("null");
    } else if (sample.isBoolean()) {
      types.add("boolean");
    } else if (sample.isIntegralNumber()) {
      types.add("integer");
    } else if (sample.isNumber()) {
      types.add("number");
    } else if (sample.isTextual()) {
      types.add("string");
      addFormat(sample.textValue());
    } else if (sample.isArray()) {
      types.add("array");
      if (depth < MAX_DEPTH) {
        for (JsonNode item : sample) {
          if (items == null) {
            items = new JsonShape(depth + 1);
          }
          items.add(item);
        }
      }
    } else if (sample.isObject()) {
      types.add("object");
      objects++;
      if (depth < MAX_DEPTH) {
        for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          if (!members.containsKey(member.getKey()) && members.size() >= MAX_MEMBERS) {
            continue;
          }
          members
              .computeIfAbsent(member.getKey(), k -> new JsonShape(depth + 1))
              .add(member.getValue());
          memberCounts.merge(member.getKey(), 1, Integer::sum);
        }
      }
    }
  }

  private void addFormat(String value) {
    String seen = formatOf(value);
    if (!formatDecided) {
      format = seen;
      formatDecided = true;
    } else if (format != null && !format.equals(seen)) {
      format = null;
    }
  }

  private static String formatOf(String value) {
    if (UUID.matcher(value).matches()) {
      return "uuid";
    }
    if (DATE_TIME.matcher(value).matches()) {
      return "date-time";
    }
    if (DATE.matcher(value).matches()) {
      return "date";
    }
    if (EMAIL.matcher(value).matches()) {
      return "email";
    }
    return URI.matcher(value).matches() ? "uri" : null;
  }

  /** The string format every string sample had, if any. */
  public Optional<String> format() {
    return Optional.ofNullable(format);
  }

  /**
   * The shape as a JSON Schema.
   *
   * @param formats whether to write {@code format}s (validators that reject unknown formats, as
   *     Postman's, get none)
   */
  public ObjectNode toSchema(boolean formats) {
    ObjectNode schema = NODES.objectNode();
    TreeSet<String> written = new TreeSet<>(types);
    if (written.contains("integer") && written.contains("number")) {
      written.remove("integer");
    }
    if (written.size() == 1) {
      schema.put("type", written.first());
    } else if (written.size() > 1) {
      ArrayNode list = schema.putArray("type");
      written.forEach(list::add);
    }
    if (formats && format != null && written.contains("string")) {
      schema.put("format", format);
    }
    if (types.contains("object")) {
      ObjectNode properties = schema.putObject("properties");
      members.forEach((name, shape) -> properties.set(name, shape.toSchema(formats)));
      ArrayNode required = NODES.arrayNode();
      memberCounts.forEach(
          (name, count) -> {
            if (count == objects) {
              required.add(name);
            }
          });
      if (!required.isEmpty()) {
        schema.set("required", required);
      }
    }
    if (types.contains("array") && items != null) {
      schema.set("items", items.toSchema(formats));
    }
    return schema;
  }
}
