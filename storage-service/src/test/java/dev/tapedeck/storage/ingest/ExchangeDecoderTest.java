package dev.tapedeck.storage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.entry.RecordPosition;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ExchangeDecoderTest {

  /**
   * A record whose value sits inside a larger buffer, as Kafka hands values out: a slice of the
   * fetched bytes, with other records' bytes around it.
   */
  private static ConsumerRecord<String, ByteBuffer> record(long offset, byte[] value) {
    ByteBuffer slice = null;
    if (value != null) {
      ByteBuffer fetched = ByteBuffer.allocate(value.length + 10);
      fetched.put(new byte[] {1, 2, 3, 4, 5}).put(value).put(new byte[] {6, 7, 8, 9, 10});
      slice = fetched.position(5).limit(5 + value.length).slice();
    }
    return new ConsumerRecord<>("tapedeck.exchanges.v1", 0, offset, "s1", slice);
  }

  @Test
  void decodesExchangesAndRejectsWhatCannotBeStored() {
    CapturedExchange good =
        CapturedExchange.newBuilder().setEntryId("e1").setSessionId("s1").build();
    CapturedExchange noId = CapturedExchange.newBuilder().setSessionId("s1").build();
    CapturedExchange noSession = CapturedExchange.newBuilder().setEntryId("e2").build();

    byte[] goodBytes = good.toByteArray();
    ConsumerRecord<String, ByteBuffer> goodRecord = record(0, goodBytes);
    DecodedBatch batch =
        ExchangeDecoder.decode(
            List.of(
                goodRecord,
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
              // The record's own bytes are stored, not a second encoding (nor its neighbours').
              assertThat(s.bytes()).isEqualTo(ByteString.copyFrom(goodBytes));
            });
    // Read in place: the record's value is left as it was (a dead letter sends it whole).
    assertThat(goodRecord.value().position()).isZero();
    assertThat(goodRecord.value().remaining()).isEqualTo(goodBytes.length);
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
