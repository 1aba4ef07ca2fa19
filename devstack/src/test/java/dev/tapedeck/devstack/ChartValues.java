package dev.tapedeck.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;

/** The Helm chart's {@code values.yaml}, read with Jackson's YAML parser, for the tests that keep the dev stack set as the chart. */
final class ChartValues {
  private ChartValues() {}

  /** The whole of {@code helm/tapedeck/values.yaml}. */
  static JsonNode read() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "helm", "tapedeck", "values.yaml").toFile());
  }
}
