package dev.tapedeck.storage.entry;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.util.Arrays;
import java.util.List;

/** One partition of the exchanges topic: gives published exchanges consecutive offsets. */
final class ExchangesTopic {

  private long nextOffset;

  List<SourcedExchange> publish(CapturedExchange... exchanges) {
    return Arrays.stream(exchanges)
        .map(
            e ->
                new SourcedExchange(
                    e, new RecordPosition("tapedeck.exchanges.v1", 0, nextOffset++)))
        .toList();
  }

  List<SourcedExchange> publish(List<CapturedExchange> exchanges) {
    return publish(exchanges.toArray(CapturedExchange[]::new));
  }
}
