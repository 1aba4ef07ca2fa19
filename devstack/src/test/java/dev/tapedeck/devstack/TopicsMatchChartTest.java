package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dev stack creates its topics with the Helm chart's settings: a record limit that differs
 * between the two once hid that a large response wedged the real pipeline.
 */
class TopicsMatchChartTest {
  @Test
  void devStackTopicConfigsAreTheChartTopicConfigs() throws Exception {
    JsonNode topics = ChartValues.read().path("kafka").path("provisioning").path("topics");
    assertThat(topics).as("kafka.provisioning.topics in helm/tapedeck/values.yaml").isNotEmpty();
    for (Map.Entry<String, Map<String, String>> topic : Topics.CONFIGS.entrySet()) {
      for (Map.Entry<String, String> config : topic.getValue().entrySet()) {
        assertThat(chartConfig(topics, topic.getKey(), config.getKey()))
            .as("%s of %s in helm/tapedeck/values.yaml", config.getKey(), topic.getKey())
            .isEqualTo(config.getValue());
      }
    }
  }

  /** The value of {@code key} in the config of the chart's topic {@code name}, null if none. */
  private static String chartConfig(JsonNode topics, String name, String key) {
    for (JsonNode topic : topics) {
      if (topic.path("name").asText().equals(name)) {
        JsonNode value = topic.path("config").get(key);
        return value == null ? null : value.asText();
      }
    }
    return null;
  }
}
