package dev.tapedeck.storage.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.storage.entry.WriteOutcome;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The STORED event written directly ({@link EntryEvents#storedBytes}) is byte for byte the event
 * the protobuf builder makes ({@link EntryEvents#stored}), whatever its fields hold, defaults and
 * extremes included, and reads back as that event.
 */
class EntryEventsTest {

  private static CapturedExchange.Builder full() {
    return CapturedExchange.newBuilder()
        .setEntryId("01JF3Y8K6ZQ4X1E2R3T4Y5U6I7")
        .setSessionId("sess-1")
        .setEntryType(EntryType.HTTP)
        .setStartedAtUnixMicros(1_700_000_000_123_456L)
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod("POST")
                .setUrl("https://api.example.test/items?q=1"))
        .setResponse(CapturedResponse.newBuilder().setStatusCode(201))
        .setTimings(Timings.newBuilder().setTotalMs(12.5));
  }

  static Stream<Arguments> stored() {
    return Stream.of(
        Arguments.of("every field set", new WriteOutcome.Stored(full().build(), 42, 1_764_000_000_000_000L)),
        Arguments.of("nothing set", new WriteOutcome.Stored(CapturedExchange.getDefaultInstance(), 0, 0)),
        Arguments.of(
            "non-ASCII ids and URL, first of its session",
            new WriteOutcome.Stored(
                full()
                    .setSessionId("sessión-ü-😀")
                    .setRequest(CapturedRequest.newBuilder().setMethod("GET").setUrl("http://bücher.test/straße"))
                    .build(),
                1,
                1)),
        Arguments.of(
            "extremes: negative status, -0.0 duration, huge sequence, other entry type",
            new WriteOutcome.Stored(
                full()
                    .setEntryType(EntryType.WEBSOCKET)
                    .setResponse(CapturedResponse.newBuilder().setStatusCode(-1))
                    .setTimings(Timings.newBuilder().setTotalMs(-0.0))
                    .setStartedAtUnixMicros(-5)
                    .build(),
                Long.MAX_VALUE,
                Long.MIN_VALUE)),
        Arguments.of(
            "long URL (a summary over 127 bytes takes a two-byte length)",
            new WriteOutcome.Stored(
                full()
                    .setRequest(CapturedRequest.newBuilder().setMethod("GET").setUrl("http://x.test/" + "a".repeat(20_000)))
                    .build(),
                7,
                8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stored")
  void storedEventIsWrittenAsTheBuilderEncodesIt(String name, WriteOutcome.Stored stored) throws Exception {
    EntryEvent built = EntryEvents.stored(stored);

    byte[] direct = EntryEvents.storedBytes(stored);

    assertThat(direct).isEqualTo(built.toByteArray());
    assertThat(EntryEvent.parseFrom(direct)).isEqualTo(built);
    assertThat(EntryEventPublisher.Encoded.stored(stored))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(EntryEvent.Kind.STORED);
              assertThat(e.sessionId()).isEqualTo(built.getSessionId());
              assertThat(e.entryId()).isEqualTo(built.getEntryId());
            });
  }
}
