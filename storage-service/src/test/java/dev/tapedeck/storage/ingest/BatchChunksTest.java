package dev.tapedeck.storage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.entry.RecordPosition;
import dev.tapedeck.storage.entry.SourcedExchange;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A polled batch is written in parts of bounded decoded size, in record order. */
class BatchChunksTest {

  private static List<SourcedExchange> ofSizes(int... sizes) {
    return IntStream.range(0, sizes.length)
        .mapToObj(
            i ->
                new SourcedExchange(
                    CapturedExchange.newBuilder().setEntryId("e" + i).build(),
                    ByteString.copyFrom(new byte[sizes[i]]),
                    new RecordPosition("exchanges", 0, i)))
        .toList();
  }

  private static List<List<String>> ids(List<List<SourcedExchange>> chunks) {
    return chunks.stream()
        .map(c -> c.stream().map(s -> s.exchange().getEntryId()).toList())
        .toList();
  }

  @Test
  void runsAreCutBeforeTheExchangeThatWouldPassTheBound() {
    assertThat(ids(BatchIngestor.chunks(ofSizes(40, 40, 30, 50, 60, 10), 100)))
        .containsExactly(List.of("e0", "e1"), List.of("e2", "e3"), List.of("e4", "e5"));
  }

  @Test
  void anExchangeLargerThanTheBoundIsARunOfItsOwn() {
    assertThat(ids(BatchIngestor.chunks(ofSizes(10, 500, 10), 100)))
        .containsExactly(List.of("e0"), List.of("e1"), List.of("e2"));
  }

  @Test
  void aBatchUnderTheBoundIsOneRunAndAnEmptyOneNone() {
    assertThat(ids(BatchIngestor.chunks(ofSizes(10, 20, 30), 100)))
        .containsExactly(List.of("e0", "e1", "e2"));
    assertThat(BatchIngestor.chunks(List.of(), 100)).isEmpty();
  }
}
