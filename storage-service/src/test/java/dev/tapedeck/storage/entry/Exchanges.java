package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Timings;

/** Captured exchanges for the tests. */
final class Exchanges {

  private Exchanges() {}

  static CapturedExchange exchange(String sessionId, String entryId) {
    return CapturedExchange.newBuilder()
        .setEntryId(entryId)
        .setSessionId(sessionId)
        .setEntryType(EntryType.HTTP)
        .setStartedAtUnixMicros(1_700_000_000_000_000L)
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod("GET")
                .setUrl("http://api.example.test:8080/items/" + entryId + "?q=1")
                .setHttpVersion("HTTP/1.1"))
        .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setStatusText("OK"))
        .setTimings(Timings.newBuilder().setTotalMs(12.5))
        .build();
  }

  /** {@code exchange} with {@code bytes} as its response body. */
  static CapturedExchange withResponseBody(CapturedExchange exchange, byte[] bytes) {
    return exchange.toBuilder()
        .setResponse(
            exchange.getResponse().toBuilder()
                .setBody(
                    Body.newBuilder()
                        .setData(ByteString.copyFrom(bytes))
                        .setSize(bytes.length)
                        .setContentType("application/octet-stream")))
        .build();
  }
}
