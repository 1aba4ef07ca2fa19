package dev.tapedeck.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * Checks documents against the HAR 1.2 JSON schema of the {@code har-schema} package (the one the
 * {@code har-validator} npm package uses), loaded from its webjar on the classpath.
 *
 * <p>The schema files name each other with relative ids ({@code "$id": "har.json#"}, {@code "$ref":
 * "log.json#"}); they are loaded under a placeholder base URI that maps to the webjar's folder, so
 * every reference resolves to the file beside it. Formats ({@code date-time}, {@code uri}, {@code
 * ipv4}/{@code ipv6}) are asserted, as draft-06 asks.
 */
public final class HarSchema {

  private static final String BASE_URI = "https://har-schema.tapedeck.invalid/";
  private static final String SCHEMA_FOLDER =
      "classpath:META-INF/resources/webjars/har-schema/2.0.0/lib/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private HarSchema() {}

  /**
   * Validates a HAR document given as JSON text.
   *
   * @return one line per violation (location and message), empty when the document is valid
   */
  public static List<String> validate(String harJson) {
    JsonNode har;
    try {
      har = JSON.readTree(harJson);
    } catch (JsonProcessingException e) {
      return List.of("$: not JSON: " + e.getOriginalMessage());
    }
    return validate(har);
  }

  /**
   * Validates a parsed HAR document.
   *
   * @return one line per violation (location and message), empty when the document is valid
   */
  public static List<String> validate(JsonNode har) {
    if (har == null) {
      return List.of("$: no document");
    }
    return SCHEMA.validate(har).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static JsonSchema load() {
    // The schema uses "min", "optional" and "unique", which are not JSON Schema keywords; declare
    // them as such so they neither validate nor log warnings.
    JsonMetaSchema draft06 =
        JsonMetaSchema.builder(JsonMetaSchema.getV6())
            .keyword(new NonValidationKeyword("min"))
            .keyword(new NonValidationKeyword("optional"))
            .keyword(new NonValidationKeyword("unique"))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V6,
            builder ->
                builder
                    .metaSchema(draft06)
                    .schemaMappers(mappers -> mappers.mapPrefix(BASE_URI, SCHEMA_FOLDER)));
    JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE_URI + "har.json"));
    // Resolve every $ref now, so a missing file fails here and not inside a test's assertion.
    schema.initializeValidators();
    return schema;
  }
}
