package dev.tapedeck.storage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.storage.config.StorageConfig;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  @Test
  void exchangeConsumerFetchesLargeBatchesByDefault() {
    Map<String, Object> props =
        new KafkaClients(Map.of("bootstrap.servers", "localhost:9092"), config())
            .exchangeConsumerProperties();

    assertThat(props)
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
        .containsEntry(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024)
        .containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024)
        .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024)
        .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024)
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50)
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "tapedeck-storage")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
  }

  @Test
  void kafkaSettingsOverrideTheBatchDefaults() {
    Map<String, Object> props =
        new KafkaClients(
                Map.of("bootstrap.servers", "localhost:9092", "max.poll.records", "100"), config())
            .exchangeConsumerProperties();

    assertThat(props).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
  }

  private static StorageConfig config() {
    StorageConfig.Kafka kafka =
        (StorageConfig.Kafka)
            Proxy.newProxyInstance(
                StorageConfig.class.getClassLoader(),
                new Class<?>[] {StorageConfig.Kafka.class},
                (proxy, method, args) ->
                    method.getName().equals("consumerGroup") ? "tapedeck-storage" : null);
    return (StorageConfig)
        Proxy.newProxyInstance(
            StorageConfig.class.getClassLoader(),
            new Class<?>[] {StorageConfig.class},
            (proxy, method, args) -> method.getName().equals("kafka") ? kafka : null);
  }
}
