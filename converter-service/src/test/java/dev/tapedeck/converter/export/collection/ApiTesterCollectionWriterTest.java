package dev.tapedeck.converter.export.collection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.Recordings;
import org.junit.jupiter.api.Test;

class ApiTesterCollectionWriterTest {

  private static JsonNode collection(String protocol) throws Exception {
    return new ObjectMapper()
        .readTree(
            Exports.export(
                ExportFormat.COLLECTION,
                Recordings.shop(),
                Exports.options(
                    o -> o.setProtocol(protocol).setCollectionName("Shop regression"))));
  }

  @Test
  void httpListsTheRequestsWithVariables() throws Exception {
    JsonNode collection = collection("http");
    assertThat(collection.get("format").asText()).isEqualTo(ApiTesterCollectionWriter.FORMAT);
    assertThat(collection.get("name").asText()).isEqualTo("Shop regression");
    assertThat(collection.get("protocol").asText()).isEqualTo("http");
    assertThat(collection.get("requests")).hasSize(11);
    assertThat(collection.at("/requests/2/url").asText())
        .isEqualTo("{{baseUrl}}/items?page=1&tag=a&tag=b");
    assertThat(collection.at("/requests/0").has("assertions")).isFalse();
    assertThat(collection.at("/variables/baseUrl").asText()).isEqualTo(Recordings.ORIGIN);
  }

  @Test
  void testsAssertStatusAndSchema() throws Exception {
    JsonNode request = collection("tests").at("/requests/0");
    assertThat(request.at("/assertions/0").toString())
        .isEqualTo("{\"type\":\"status\",\"equals\":200}");
    assertThat(request.at("/assertions/1/type").asText()).isEqualTo("jsonSchema");
    assertThat(request.at("/assertions/1/schema/properties/id/type").asText()).isEqualTo("integer");
  }

  @Test
  void performanceCarriesThinkTimesAndALoadProfile() throws Exception {
    JsonNode collection = collection("performance");
    assertThat(collection.at("/load/virtualUsers").asInt()).isEqualTo(1);
    assertThat(collection.at("/requests/0/thinkTimeMs").asLong()).isZero();
    // a quarter of a second between starts, minus the 25.4 ms the previous exchange took
    assertThat(collection.at("/requests/1/thinkTimeMs").asLong()).isEqualTo(224);
  }
}
