package dev.tapedeck.converter.export.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OpenApiWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode document() throws Exception {
    return JSON.readTree(
        Exports.export(ExportFormat.OPENAPI, Recordings.shop(), ConversionOptions.defaults()));
  }

  @Test
  void validatesAgainstTheOpenApi31Schema() throws Exception {
    assertThat(OpenApiSchema.validate(document())).isEmpty();
  }

  @Test
  void schemaCatchesAnInvalidDocument() throws Exception {
    ObjectNode broken = (ObjectNode) document();
    ((ObjectNode) broken.at("/paths/~1users~1{id}/get/responses/200")).remove("description");
    broken.put("openapi", "3.0.3");
    assertThat(OpenApiSchema.validate(broken)).isNotEmpty();
  }

  @Test
  void schemaCatchesAnInvalidSchemaObject() throws Exception {
    ObjectNode broken = (ObjectNode) document();
    ((ObjectNode) broken.at("/paths/~1orders/post/requestBody/content/application~1json/schema"))
        .put("type", 5);
    assertThat(OpenApiSchema.validate(broken)).isNotEmpty();
  }

  @Test
  void templatesPathsAndDeclaresEveryPathParameter() throws Exception {
    JsonNode paths = document().get("paths");
    List<String> names = new ArrayList<>();
    paths.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("/users/{id}", "/items", "/orders", "/jobs/{id}", "/missing");
    Pattern parameter = Pattern.compile("\\{([^}]+)}");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      Matcher m = parameter.matcher(path.getKey());
      while (m.find()) {
        String name = m.group(1);
        for (JsonNode operation : path.getValue()) {
          assertThat(operation.get("parameters"))
              .as(path.getKey())
              .anySatisfy(
                  p -> {
                    assertThat(p.get("name").asText()).isEqualTo(name);
                    assertThat(p.get("in").asText()).isEqualTo("path");
                  });
        }
      }
    }
    assertThat(paths.at("/~1users~1{id}/get/parameters/0/schema/type").asText())
        .isEqualTo("integer");
    assertThat(paths.at("/~1jobs~1{id}/get/parameters/0/schema/format").asText()).isEqualTo("uuid");
    assertThat(paths.at("/~1users~1{id}").has("delete")).isTrue();
  }

  @Test
  void infersQueryParametersBodiesStatusesAndSecurity() throws Exception {
    JsonNode doc = document();
    JsonNode items = doc.at("/paths/~1items/get");
    assertThat(items.at("/parameters/0/name").asText()).isEqualTo("page");
    assertThat(items.at("/parameters/0/required").asBoolean()).isFalse();
    JsonNode user = doc.at("/paths/~1users~1{id}/get/responses/200/content/application~1json");
    assertThat(user.at("/schema/properties/roles/type").asText()).isEqualTo("array");
    assertThat(user.at("/schema/required").toString()).isEqualTo("[\"id\",\"name\",\"roles\"]");
    assertThat(user.at("/example/name").asText()).isEqualTo("Ada");
    JsonNode orders = doc.at("/paths/~1orders/post");
    assertThat(
            orders.at("/requestBody/content/application~1json/schema/properties/qty/type").asText())
        .isEqualTo("integer");
    assertThat(orders.at("/responses/201/description").asText()).isEqualTo("Created");
    assertThat(orders.at("/security/0").has("bearerAuth")).isTrue();
    assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText())
        .isEqualTo("bearer");
    assertThat(doc.at("/paths/~1missing/get/responses/404/description").asText())
        .isEqualTo("Not Found");
    assertThat(doc.at("/servers/0/url").asText()).isEqualTo(Recordings.ORIGIN);
  }
}
