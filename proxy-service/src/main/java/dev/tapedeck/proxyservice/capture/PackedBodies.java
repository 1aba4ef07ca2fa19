package dev.tapedeck.proxyservice.capture;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * Packs a capture's large bodies with snappy ({@link BodyPacking}) just before it is serialized
 * for Kafka, on the publisher thread: the request, the response and the original request, each on
 * its own. Frames and small bodies stay as they are; Kafka's batch compression takes them.
 */
final class PackedBodies {
  private PackedBodies() {}

  /** {@code exchange} with its large bodies packed; the same object when none is. */
  static CapturedExchange pack(CapturedExchange exchange) {
    Body request = pack(exchange.getRequest().getBody());
    Body response = pack(exchange.getResponse().getBody());
    Body original = pack(exchange.getOriginalRequest().getBody());
    if (request == null && response == null && original == null) {
      return exchange;
    }
    CapturedExchange.Builder packed = exchange.toBuilder();
    if (request != null) {
      packed.getRequestBuilder().setBody(request);
    }
    if (response != null) {
      packed.getResponseBuilder().setBody(response);
    }
    if (original != null) {
      packed.getOriginalRequestBuilder().setBody(original);
    }
    return packed.build();
  }

  /** The body packed, or null when it is small, already packed or would not shrink. */
  private static Body pack(Body body) {
    ByteString data = body.getData();
    if (data.size() < BodyPacking.MIN_BYTES || !body.getPacking().isEmpty()) {
      return null;
    }
    BodyPacking.Packed packed = BodyPacking.pack(data.toByteArray(), 0, data.size());
    if (packed == null) {
      return null;
    }
    return body.toBuilder()
        .setData(UnsafeByteOperations.unsafeWrap(packed.bytes(), 0, packed.length()))
        .setPacking(BodyPacking.SNAPPY)
        .build();
  }
}
