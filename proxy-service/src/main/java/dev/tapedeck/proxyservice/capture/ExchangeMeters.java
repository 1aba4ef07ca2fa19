package dev.tapedeck.proxyservice.capture;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the proxy captured, for Prometheus: exchanges by type and outcome, body bytes each way
 * (tunnels: bytes relayed each way), and a histogram of the upstream leg's total time.
 */
final class ExchangeMeters {
  private final Map<EntryType, Counter> ok = new EnumMap<>(EntryType.class);
  private final Map<EntryType, Counter> failed = new EnumMap<>(EntryType.class);
  private final Counter requestBytes;
  private final Counter responseBytes;
  private final Timer upstream;

  ExchangeMeters(MeterRegistry registry) {
    for (EntryType type : EntryType.values()) {
      if (type == EntryType.UNRECOGNIZED) {
        continue;
      }
      String name = type == EntryType.ENTRY_TYPE_UNSPECIFIED ? "http" : type.name().toLowerCase(Locale.ROOT);
      ok.put(type, exchanges(registry, name, "ok"));
      failed.put(type, exchanges(registry, name, "error"));
    }
    requestBytes = bytes(registry, "request");
    responseBytes = bytes(registry, "response");
    upstream =
        Timer.builder("tapedeck.proxy.upstream.duration")
            .description("Time of the upstream leg of a captured exchange, first byte sent to last byte read")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
  }

  private static Counter exchanges(MeterRegistry registry, String type, String outcome) {
    return Counter.builder("tapedeck.proxy.exchanges")
        .description("Exchanges the proxy captured, by entry type and whether they completed")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter bytes(MeterRegistry registry, String direction) {
    return Counter.builder("tapedeck.proxy.bytes")
        .description("Body bytes of captured exchanges as on the wire (tunnels: bytes relayed)")
        .baseUnit("bytes")
        .tag("direction", direction)
        .register(registry);
  }

  void record(CapturedExchange exchange) {
    EntryType type = exchange.getEntryType() == EntryType.UNRECOGNIZED ? EntryType.HTTP : exchange.getEntryType();
    (exchange.getError().isEmpty() ? ok : failed).get(type).increment();
    if (exchange.hasTunnel()) {
      requestBytes.increment(exchange.getTunnel().getBytesClientToServer());
      responseBytes.increment(exchange.getTunnel().getBytesServerToClient());
    } else {
      requestBytes.increment(exchange.getRequest().getBody().getSize());
      responseBytes.increment(exchange.getResponse().getBody().getSize());
    }
    double totalMs = exchange.getTimings().getTotalMs();
    if (totalMs >= 0) {
      upstream.record(Math.round(totalMs * 1000), TimeUnit.MICROSECONDS);
    }
  }
}
