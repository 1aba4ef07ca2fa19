package dev.tapedeck.converter.export.insomnia;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import org.junit.jupiter.api.Test;

/** The Insomnia exports, read back in the shapes the mockd reference shows. */
class InsomniaWriterTest {

  @Test
  void v4IsAJsonExportWithWorkspaceRequestsAndEnvironment() throws Exception {
    JsonNode export =
        new ObjectMapper()
            .readTree(
                Exports.export(
                    ExportFormat.INSOMNIA_V4, Recordings.shop(), ConversionOptions.defaults()));
    assertThat(export.get("_type").asText()).isEqualTo("export");
    assertThat(export.get("__export_format").asInt()).isEqualTo(4);
    assertResources(export.get("resources"));
  }

  @Test
  void v5IsAYamlCollectionAsInsomnia11ReadsIt() throws Exception {
    String yaml =
        Exports.export(ExportFormat.INSOMNIA_V5, Recordings.shop(), ConversionOptions.defaults());
    assertThat(yaml).startsWith("type: collection.insomnia.rest/5.0\n");
    JsonNode collection = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    assertThat(collection.get("schema_version").asText()).isEqualTo("5.1");
    assertThat(collection.get("name").asText()).isEqualTo("Shop API");
    assertThat(collection.at("/meta/id").asText()).isEqualTo("wrk_tapedeck");
    assertThat(collection.at("/meta/created").isNumber()).isTrue();
    JsonNode requests = collection.get("collection");
    assertThat(requests).hasSize(11);
    JsonNode items = requests.get(2);
    assertThat(items.at("/meta/id").asText()).isEqualTo("req_tapedeck_3");
    assertThat(items.get("url").asText()).isEqualTo("{{ _.baseUrl }}/items");
    assertThat(items.at("/parameters/0/value").asText()).isEqualTo("1");
    assertThat(items.at("/parameters/0/value").isTextual()).isTrue();
    assertThat(requests.get(4).at("/body/text").asText()).isEqualTo("{\"sku\":\"A\",\"qty\":1}");
    assertThat(collection.at("/environments/name").asText()).isEqualTo("Base Environment");
    assertThat(collection.at("/environments/data/baseUrl").asText()).isEqualTo(Recordings.ORIGIN);
  }

  private static void assertResources(JsonNode resources) {
    assertThat(resources.get(0).get("_type").asText()).isEqualTo("workspace");
    assertThat(resources).hasSize(13); // workspace, 11 requests, environment
    JsonNode items = resources.get(3);
    assertThat(items.get("_type").asText()).isEqualTo("request");
    assertThat(items.get("parentId").asText()).isEqualTo("wrk_tapedeck");
    assertThat(items.get("url").asText()).isEqualTo("{{ _.baseUrl }}/items");
    assertThat(items.get("parameters").toString())
        .isEqualTo(
            "[{\"name\":\"page\",\"value\":\"1\"},{\"name\":\"tag\",\"value\":\"a\"},"
                + "{\"name\":\"tag\",\"value\":\"b\"}]");
    JsonNode order = resources.get(5);
    assertThat(order.at("/body/mimeType").asText()).isEqualTo("application/json");
    assertThat(order.at("/body/text").asText()).isEqualTo("{\"sku\":\"A\",\"qty\":1}");
    assertThat(order.get("headers").toString())
        .contains("Bearer REDACTED")
        .doesNotContain("s3cr3t");
    JsonNode environment = resources.get(12);
    assertThat(environment.get("_type").asText()).isEqualTo("environment");
    assertThat(environment.at("/data/baseUrl").asText()).isEqualTo(Recordings.ORIGIN);
  }
}
