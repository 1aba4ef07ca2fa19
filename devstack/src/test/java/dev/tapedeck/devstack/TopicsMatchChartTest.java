package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dev stack creates its topics with the Helm chart's settings: a record limit that differs
 * between the two once hid that a large response wedged the real pipeline.
 */
class TopicsMatchChartTest {
  @Test
  void devStackTopicConfigsAreTheChartTopicConfigs() throws Exception {
    List<String> values = Files.readAllLines(Path.of("..", "helm", "tapedeck", "values.yaml"));
    for (Map.Entry<String, Map<String, String>> topic : Topics.CONFIGS.entrySet()) {
      for (Map.Entry<String, String> config : topic.getValue().entrySet()) {
        assertThat(chartConfig(values, topic.getKey(), config.getKey()))
            .as("%s of %s in helm/tapedeck/values.yaml", config.getKey(), topic.getKey())
            .isEqualTo(config.getValue());
      }
    }
  }

  /** The value of {@code key} in the config of the chart's topic {@code name}, null if none. */
  private static String chartConfig(List<String> lines, String name, String key) {
    boolean inTopic = false;
    for (String line : lines) {
      String t = line.trim();
      if (t.startsWith("- name:")) {
        inTopic = t.substring("- name:".length()).trim().equals(name);
      } else if (inTopic && t.startsWith(key + ":")) {
        return t.substring(key.length() + 1).trim().replace("\"", "");
      }
    }
    return null;
  }
}
