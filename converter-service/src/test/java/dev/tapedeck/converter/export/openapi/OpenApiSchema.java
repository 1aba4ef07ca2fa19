package dev.tapedeck.converter.export.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks documents against the official OpenAPI 3.1 schemas (test resources {@code openapi-3.1/}):
 * the document against {@code schema-base} (its structure), and every Schema Object (each {@code
 * schema} of a parameter or a media type) against the OpenAPI base dialect of JSON Schema 2020-12,
 * one by one, since the validator does not follow the {@code $dynamicRef} that {@code schema-base}
 * uses to reach them. The schemas' own ids are mapped to the copies on the classpath, so nothing is
 * fetched.
 */
final class OpenApiSchema {

  private static final String SPEC = "https://spec.openapis.org/oas/3.1/";
  private static final String COPIES = "classpath:openapi-3.1/";
  private static final JsonSchemaFactory FACTORY = factory();
  private static final JsonSchema DOCUMENT = load(SPEC + "schema-base/2021-04-15");
  private static final JsonSchema SCHEMA_OBJECT = load(SPEC + "dialect/base");

  private OpenApiSchema() {}

  /** One line per violation, empty when the document is valid. */
  static List<String> validate(JsonNode document) {
    List<String> messages = new ArrayList<>();
    DOCUMENT.validate(document).stream().map(ValidationMessage::getMessage).forEach(messages::add);
    schemaObjects(document, "$", messages);
    return messages.stream().sorted().toList();
  }

  private static void schemaObjects(JsonNode node, String at, List<String> messages) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = at + "." + field.getKey();
      if (field.getKey().equals("schema") && field.getValue().isObject()) {
        SCHEMA_OBJECT.validate(field.getValue()).stream()
            .map(m -> path + ": " + m.getMessage())
            .forEach(messages::add);
      } else if (!field.getKey().equals("example")) {
        schemaObjects(field.getValue(), path, messages);
      }
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        schemaObjects(node.get(i), at + "[" + i + "]", messages);
      }
    }
  }

  private static JsonSchema load(String id) {
    JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(id));
    schema.initializeValidators();
    return schema;
  }

  private static JsonSchemaFactory factory() {
    return JsonSchemaFactory.getInstance(
        SpecVersion.VersionFlag.V202012,
        builder ->
            builder.schemaMappers(
                mappers ->
                    mappers
                        .mapPrefix(SPEC + "schema/2021-04-15", COPIES + "schema.json")
                        .mapPrefix(SPEC + "schema-base/2021-04-15", COPIES + "schema-base.json")
                        .mapPrefix(SPEC + "dialect/base", COPIES + "dialect/base.json")
                        .mapPrefix(SPEC + "meta/base", COPIES + "meta/base.json")));
  }
}
