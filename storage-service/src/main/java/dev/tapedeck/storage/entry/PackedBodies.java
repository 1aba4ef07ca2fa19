package dev.tapedeck.storage.entry;

import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.util.function.Predicate;

/**
 * Unpacks the bodies a proxy packed ({@link BodyPacking}): stored packed, they are unpacked on
 * every read, so the API, the exports and the replays only ever see bodies as captured; and at
 * ingestion the textual ones are unpacked for the search text.
 */
final class PackedBodies {
  private PackedBodies() {}

  /** {@code exchange} with every packed body unpacked; the same object when none is packed. */
  static CapturedExchange unpack(CapturedExchange exchange) {
    return unpack(exchange, body -> true);
  }

  /** {@code exchange} with its packed textual bodies unpacked: what the search text reads. */
  static CapturedExchange unpackTextual(CapturedExchange exchange) {
    return unpack(exchange, body -> SearchText.contentType(body.getContentType()).kind() == ContentType.Kind.TEXT);
  }

  private static CapturedExchange unpack(CapturedExchange exchange, Predicate<Body> which) {
    boolean request = packed(exchange.getRequest().getBody(), which);
    boolean response = packed(exchange.getResponse().getBody(), which);
    boolean original = packed(exchange.getOriginalRequest().getBody(), which);
    if (!request && !response && !original) {
      return exchange;
    }
    CapturedExchange.Builder full = exchange.toBuilder();
    if (request) {
      full.getRequestBuilder().setBody(unpack(exchange.getRequest().getBody()));
    }
    if (response) {
      full.getResponseBuilder().setBody(unpack(exchange.getResponse().getBody()));
    }
    if (original) {
      full.getOriginalRequestBuilder().setBody(unpack(exchange.getOriginalRequest().getBody()));
    }
    return full.build();
  }

  private static boolean packed(Body body, Predicate<Body> which) {
    return !body.getPacking().isEmpty() && which.test(body);
  }

  /**
   * The body as captured. Bytes that do not unpack (a packing this build does not know, or broken
   * bytes) leave the body empty and marked truncated: its size and type still say what it was.
   */
  static Body unpack(Body body) {
    Body.Builder plain = body.toBuilder().clearPacking();
    if (body.getData().isEmpty()) {
      return plain.build();
    }
    try {
      byte[] bytes = BodyPacking.unpack(body.getPacking(), body.getData().toByteArray());
      return plain.setData(UnsafeByteOperations.unsafeWrap(bytes)).build();
    } catch (IllegalArgumentException e) {
      return plain.clearData().setTruncated(true).build();
    }
  }
}
