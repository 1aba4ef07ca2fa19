package dev.tapedeck.proxyservice.capture;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * Packs a capture's large bodies with snappy ({@link BodyPacking}) just before it is serialized
 * for Kafka, on the publisher thread: the request, the response and the original request, each on
 * its own. Frames and small bodies stay as they are; Kafka's batch compression takes them.
 */
final class PackedBodies {
  /** Arrays of up to this many bytes are kept for the next capture; larger bodies get their own. */
  static final int KEPT_BYTES = 2 * 1024 * 1024;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
    int length = data.size();
    if (length < BodyPacking.MIN_BYTES || !body.getPacking().isEmpty()) {
      return null;
    }
    Scratch scratch = SCRATCH.get();
    byte[] in = room(scratch.in, length);
    byte[] out = room(scratch.out, BodyPacking.maxPackedLength(length));
    if (out.length <= KEPT_BYTES) {
      scratch.in = in;
      scratch.out = out;
    }
    data.copyTo(in, 0);
    int packed = BodyPacking.pack(in, 0, length, out);
    if (packed < 0) {
      return null;
    }
    return body.toBuilder().setData(ByteString.copyFrom(out, 0, packed)).setPacking(BodyPacking.SNAPPY).build();
  }

  /** {@code kept} when it holds {@code length} bytes, else a new array. */
  private static byte[] room(byte[] kept, int length) {
    return kept.length >= length ? kept : new byte[length];
  }

  /**
   * The publisher thread's arrays for a body and its packed form, kept from capture to capture (up
   * to {@link #KEPT_BYTES}) rather than two new arrays of a body's size each time.
   */
  private static final class Scratch {
    byte[] in = new byte[0];
    byte[] out = new byte[0];
  }
}
