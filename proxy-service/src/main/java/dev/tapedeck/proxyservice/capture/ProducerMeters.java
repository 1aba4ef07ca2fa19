package dev.tapedeck.proxyservice.capture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.Producer;

/**
 * The capture producer's own Kafka metrics at {@code /q/metrics} ({@code kafka_producer_*}, tagged
 * with {@code client_id}: batch sizes, the time a record waits in the producer, request latency,
 * compression rate), through Micrometer's Kafka binder. A producer that replaces a failed one takes
 * the series over.
 */
final class ProducerMeters {
  private final MeterRegistry registry;
  private KafkaClientMetrics bound;

  ProducerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Exports {@code producer}'s metrics in place of the previous producer's; returns it. */
  synchronized <P extends Producer<?, ?>> P export(P producer) {
    close();
    bound = new KafkaClientMetrics(producer);
    bound.bindTo(registry);
    return producer;
  }

  /** Removes the series and stops the binder's refresh. */
  synchronized void close() {
    if (bound != null) {
      bound.close();
      bound = null;
    }
  }
}
