package dev.tapedeck.proxyservice.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of a JSON request body that recognition looks at, read with Jackson's
 * streaming parser: the body's object, or the first object of a batch (an array). Only the fields
 * asked for are kept; everything else ({@code variables}, {@code params}) is skipped without being
 * built into a tree.
 *
 * <p>A body cut at the capture limit keeps the fields read before the cut ({@code complete} says
 * whether the object ended).
 *
 * @param fields the wanted fields found, by name: strings and numbers as value nodes, objects and
 *     arrays as trees
 * @param batch whether the body was an array of messages
 * @param complete whether the object was read to its end
 */
record JsonMessage(Map<String, JsonNode> fields, boolean batch, boolean complete) {
  /** The fields the recognizers look at: JSON-RPC's and GraphQL-over-HTTP's. */
  static final Set<String> RECOGNITION_FIELDS =
      Set.of("jsonrpc", "method", "id", "query", "operationName", "extensions");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /** The first message of {@code json}, or null when it does not start with a JSON object. */
  static JsonMessage read(byte[] json, Set<String> wanted) {
    Map<String, JsonNode> fields = new HashMap<>();
    boolean batch = false;
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.START_ARRAY) {
        batch = true;
        token = parser.nextToken();
      }
      if (token != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (wanted.contains(name)) {
          fields.put(name, MAPPER.readTree(parser));
        } else {
          parser.skipChildren();
        }
      }
      return new JsonMessage(fields, batch, true);
    } catch (IOException | RuntimeException e) {
      return fields.isEmpty() ? null : new JsonMessage(fields, batch, false);
    }
  }

  /** A field's text when it is a JSON string, else null. */
  String string(String name) {
    JsonNode node = fields.get(name);
    return node != null && node.isTextual() ? node.asText() : null;
  }

  /** A field's value as text when it is a string or a number (a JSON-RPC id), else null. */
  String scalar(String name) {
    JsonNode node = fields.get(name);
    return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : null;
  }

  boolean has(String name) {
    return fields.containsKey(name);
  }
}
