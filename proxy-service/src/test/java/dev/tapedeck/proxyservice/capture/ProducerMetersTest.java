package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerMetersTest {

  @Test
  void aReplacementProducerTakesTheSeriesOver() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProducerMeters meters = new ProducerMeters(registry);
    try (KafkaProducer<String, byte[]> first = producer("first");
        KafkaProducer<String, byte[]> second = producer("second")) {
      meters.export(first);
      assertThat(clientIds(registry)).containsExactly("first");

      meters.export(second);
      assertThat(clientIds(registry)).containsExactly("second");

      meters.close();
      assertThat(registry.find("kafka.producer.record.send.total").meters()).isEmpty();
    }
  }

  private static List<String> clientIds(SimpleMeterRegistry registry) {
    return registry.find("kafka.producer.record.send.total").meters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag("client.id"))
        .toList();
  }

  private static KafkaProducer<String, byte[]> producer(String clientId) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1", ProducerConfig.CLIENT_ID_CONFIG, clientId),
        new StringSerializer(),
        new ByteArraySerializer());
  }
}
