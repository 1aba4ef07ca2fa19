package dev.tapedeck.storage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.storage.config.StorageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  @Test
  void exchangeConsumerFetchesLargeBatchesByDefault() {
    Map<String, Object> props =
        new KafkaClients(Map.of("bootstrap.servers", "localhost:9092"), config(), new SimpleMeterRegistry())
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
                Map.of("bootstrap.servers", "localhost:9092", "max.poll.records", "100"),
                config(),
                new SimpleMeterRegistry())
            .exchangeConsumerProperties();

    assertThat(props).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
  }

  @Test
  void theProducersOwnMetricsAreExportedWhileItIsOpen() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaClients clients =
        new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1"), config(), registry);
    assertThat(registry.find("kafka.producer.record.send.total").meters()).isEmpty();

    clients.producer();
    assertThat(registry.find("kafka.producer.record.send.total").meters()).hasSize(1);
    assertThat(registry.find("kafka.producer.record.queue.time.avg").meters()).hasSize(1);

    clients.close();
    assertThat(registry.find("kafka.producer.record.send.total").meters()).isEmpty();
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
