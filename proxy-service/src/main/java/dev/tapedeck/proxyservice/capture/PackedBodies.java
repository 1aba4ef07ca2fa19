package dev.tapedeck.proxyservice.capture;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Packs a capture's large bodies with snappy ({@link BodyPacking}) as it is serialized for Kafka,
 * on the publisher thread: the request, the response and the original request, each on its own.
 * Frames and small bodies stay as they are; Kafka's batch compression takes them.
 *
 * <p>A body is read where it lies when it is one array (as the proxy captures it), packed into an
 * array the thread keeps, and copied once more, into the serialized capture: no copy of the body
 * before snappy and none of the packed bytes before serialization.
 */
final class PackedBodies {
  /** Arrays of up to this many bytes are kept for the next capture; larger bodies get their own. */
  static final int KEPT_BYTES = 2 * 1024 * 1024;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private PackedBodies() {}

  /** {@code exchange} serialized, with its large bodies packed. */
  static byte[] serialize(CapturedExchange exchange) {
    Scratch scratch = SCRATCH.get();
    // The packed bodies wrap the thread's arrays: they must be serialized before the next pack.
    return pack(exchange, scratch).toByteArray();
  }

  private static CapturedExchange pack(CapturedExchange exchange, Scratch scratch) {
    Body request = pack(exchange.getRequest().getBody(), scratch, 0);
    Body response = pack(exchange.getResponse().getBody(), scratch, 1);
    Body original = pack(exchange.getOriginalRequest().getBody(), scratch, 2);
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

  /**
   * The body packed into the thread's array for {@code slot}, or null when it is small, already
   * packed or would not shrink.
   */
  private static Body pack(Body body, Scratch scratch, int slot) {
    ByteString data = body.getData();
    int length = data.size();
    if (length < BodyPacking.MIN_BYTES || !body.getPacking().isEmpty()) {
      return null;
    }
    OneArray source = scratch.source.of(data);
    byte[] in;
    int offset;
    if (source.array != null) {
      in = source.array;
      offset = source.offset;
    } else {
      in = room(scratch.in, length);
      if (in.length <= KEPT_BYTES) {
        scratch.in = in;
      }
      data.copyTo(in, 0);
      offset = 0;
    }
    byte[] out = room(scratch.out[slot], BodyPacking.maxPackedLength(length));
    if (out.length <= KEPT_BYTES) {
      scratch.out[slot] = out;
    }
    int packed = BodyPacking.pack(in, offset, length, out);
    source.array = null;
    if (packed < 0) {
      return null;
    }
    return body.toBuilder().setData(UnsafeByteOperations.unsafeWrap(out, 0, packed)).setPacking(BodyPacking.SNAPPY).build();
  }

  /** {@code kept} when it holds {@code length} bytes, else a new array. */
  private static byte[] room(byte[] kept, int length) {
    return kept.length >= length ? kept : new byte[length];
  }

  /**
   * The publisher thread's arrays: one for a body that is not one array, and one per body of a
   * capture for its packed form, kept from capture to capture (up to {@link #KEPT_BYTES}).
   */
  private static final class Scratch {
    final OneArray source = new OneArray();
    byte[] in = new byte[0];
    final byte[][] out = {new byte[0], new byte[0], new byte[0]};
  }

  /**
   * The array a {@link ByteString} lies in, when it lies in one: protobuf hands a flat string's own
   * array to {@link ByteOutput#writeLazy}, and a rope's pieces one by one.
   */
  private static final class OneArray extends ByteOutput {
    byte[] array;
    int offset;
    private int pieces;

    OneArray of(ByteString data) {
      array = null;
      pieces = 0;
      try {
        UnsafeByteOperations.unsafeWriteTo(data, this);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (pieces != 1) {
        array = null;
      }
      return this;
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      pieces++;
      this.array = value;
      this.offset = offset;
    }

    // Bytes handed over any other way leave array null: the caller copies the string instead.

    @Override
    public void write(byte value) {
      pieces++;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      pieces++;
    }

    @Override
    public void write(ByteBuffer value) {
      pieces++;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      if (value.hasArray()) {
        writeLazy(value.array(), value.arrayOffset() + value.position(), value.remaining());
      } else {
        pieces++;
      }
    }
  }
}
