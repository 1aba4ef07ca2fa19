package dev.tapedeck.converter.export.mockd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.Recordings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mockd config, read back as YAML in the shape of mockd's configuration reference. */
class MockdConfigTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode config(boolean smart, String duplicates) throws Exception {
    return YAML.readTree(
        Exports.export(
            ExportFormat.MOCKD,
            Recordings.shop(),
            Exports.options(o -> o.setSmartMatch(smart).setDuplicates(duplicates))));
  }

  @Test
  void writesVersionedHttpMocksWithMatchersAndResponses() throws Exception {
    JsonNode config = config(false, "first");
    assertThat(config.get("version").asText()).isEqualTo("1.0");
    JsonNode first = config.get("mocks").get(0);
    assertThat(first.get("type").asText()).isEqualTo("http");
    assertThat(first.get("enabled").asBoolean()).isTrue();
    assertThat(first.at("/http/matcher/method").asText()).isEqualTo("GET");
    assertThat(first.at("/http/matcher/path").asText()).isEqualTo("/users/42");
    assertThat(first.at("/http/response/statusCode").asInt()).isEqualTo(200);
    assertThat(first.at("/http/response/body").asText())
        .isEqualTo("{\"id\":42,\"name\":\"Ada\",\"roles\":[\"admin\"]}");
    assertThat(first.at("/http/response/headers/Content-Type").asText())
        .isEqualTo("application/json");
    List<String> paths = new ArrayList<>();
    config.get("mocks").forEach(m -> paths.add(m.at("/http/matcher/path").asText()));
    assertThat(paths).hasSize(9);
    JsonNode order = config.get("mocks").get(4);
    assertThat(order.at("/http/matcher/bodyJsonPath").toString())
        .isEqualTo("{\"$.sku\":\"A\",\"$.qty\":1}");
    JsonNode missing = config.get("mocks").get(8);
    assertThat(missing.at("/http/matcher/queryParams/api_key").asText()).isEqualTo(".*");
  }

  @Test
  void smartMatchingTemplatesPathsAndKeepsSequencesAsDisabledSteps() throws Exception {
    JsonNode mocks = config(true, "all").get("mocks");
    List<String> summary = new ArrayList<>();
    mocks.forEach(
        m ->
            summary.add(
                m.at("/http/matcher/method").asText()
                    + " "
                    + m.at("/http/matcher/path").asText()
                    + " "
                    + m.get("enabled").asBoolean()
                    + " "
                    + m.at("/http/priority").asInt()));
    assertThat(summary)
        .containsExactly(
            "GET /users/42 true 8",
            "GET /users/43 true 8",
            "GET /users/{id} true 5",
            "GET /items true 9",
            "GET /items true 8",
            "GET /items true 5",
            "POST /orders true 9",
            "POST /orders true 9",
            "POST /orders true 5",
            "GET /jobs/{id} true 6",
            "GET /jobs/{id} false 6",
            "GET /jobs/{id} false 6",
            "DELETE /users/{id} true 6",
            "GET /missing true 7");
    assertThat(mocks.get(12).at("/http/response/body").asText()).isEmpty();
    assertThat(mocks.get(10).get("description").asText()).startsWith("Response 2 of 3");
  }
}
