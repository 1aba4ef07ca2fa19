package dev.tapedeck.storage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.entry.RecordPosition;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ExchangeDecoderTest {

  private static ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
    return new ConsumerRecord<>("tapedeck.exchanges.v1", 0, offset, "s1", value);
  }

  @Test
  void decodesExchangesAndRejectsWhatCannotBeStored() {
    CapturedExchange good =
        CapturedExchange.newBuilder().setEntryId("e1").setSessionId("s1").build();
    CapturedExchange noId = CapturedExchange.newBuilder().setSessionId("s1").build();
    CapturedExchange noSession = CapturedExchange.newBuilder().setEntryId("e2").build();

    byte[] goodBytes = good.toByteArray();
    DecodedBatch batch =
        ExchangeDecoder.decode(
            List.of(
                record(0, goodBytes),
                record(1, new byte[] {(byte) 0xff, 0x01, 0x02}),
                record(2, noId.toByteArray()),
                record(3, null),
                record(4, noSession.toByteArray())));

    assertThat(batch.exchanges())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.exchange()).isEqualTo(good);
              assertThat(s.position()).isEqualTo(new RecordPosition("tapedeck.exchanges.v1", 0, 0));
              // The record's own bytes are stored, not a second encoding.
              assertThat(s.bytes()).isSameAs(goodBytes);
            });
    assertThat(batch.rejected())
        .extracting(r -> r.record().offset() + ": " + r.reason())
        .satisfiesExactly(
            r -> assertThat(r).startsWith("1: not a tapedeck.capture.v1.CapturedExchange"),
            r -> assertThat(r).isEqualTo("2: exchange has no entry_id"),
            r -> assertThat(r).isEqualTo("3: record has no value"),
            r -> assertThat(r).isEqualTo("4: exchange has no session_id"));
  }

  @Test
  void rejectsAnExchangeTooLargeForAMongoDocument() {
    CapturedExchange huge =
        CapturedExchange.newBuilder()
            .setEntryId("e1")
            .setSessionId("s1")
            .setError("x".repeat(ExchangeDecoder.MAX_EXCHANGE_BYTES))
            .build();

    DecodedBatch batch = ExchangeDecoder.decode(List.of(record(0, huge.toByteArray())));

    assertThat(batch.exchanges()).isEmpty();
    assertThat(batch.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).contains("larger than"));
  }
}
