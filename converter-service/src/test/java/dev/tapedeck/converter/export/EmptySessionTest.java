package dev.tapedeck.converter.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A session with no entries (or none the filters keep) still makes a well-formed document. */
class EmptySessionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void writesAWellFormedEmptyDocument(ExportFormat format) throws Exception {
    String document = Exports.export(format, List.of(), ConversionOptions.defaults());
    switch (format.contentType()) {
      case "application/json" -> assertThat(JSON.readTree(document).isObject()).isTrue();
      case "application/x-yaml" -> {
        JsonNode yaml = YAML.readTree(document);
        assertThat(yaml.isObject()).as(document).isTrue();
      }
      default -> assertThat(document).contains("import ");
    }
  }
}
