package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack's broker runs with every setting the Helm chart gives its Kafka ({@code
 * kafka.extraConfig}): the benchmarks measure the dev stack, and the figures hold for the chart only
 * while the two brokers are set alike.
 */
class BrokerMatchesChartTest {
  @Test
  void devStackBrokerHasTheChartsExtraConfig(@TempDir Path dir) throws Exception {
    List<String> chart =
        ChartValues.read().path("kafka").path("extraConfig").asText().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    assertThat(chart).as("kafka.extraConfig in helm/tapedeck/values.yaml").isNotEmpty();

    Path file = KafkaServerProperties.write(dir.resolve("server.properties"), dir.resolve("data"), 9092, 9093);
    List<String> devStack = Files.readAllLines(file);

    assertThat(devStack).containsAll(chart);
    assertThat(devStack).contains("log.cleaner.dedupe.buffer.size=16777216");
  }
}
