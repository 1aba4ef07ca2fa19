package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.proto.capture.v1.Body;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps the first {@code limit} bytes of a body passing through and counts the rest; past the
 * limit nothing more is held, so a 200 MiB body costs at most {@code limit} bytes of memory.
 *
 * <p>Each chunk is copied once, into an array sized from the body's declared length or else grown
 * by doubling, and the recording wraps that array as it is: no further copy on the way to the
 * capture.
 *
 * <p>The array is not zeroed first where the JVM lets Netty skip that (the proxy's JVM options, see
 * the dev stack's {@code Service.UNZEROED_NETTY_BUFFERS}): every byte of it that the capture shows
 * is written from the body first, and the rest is never read.
 */
final class BodyCapture {
  private static final int FIRST_CAPACITY = 4096;
  /** The most a declared length may size the array to up front; larger bodies grow past it. */
  static final int MAX_PRESIZE = 256 * 1024;

  private final long limit;
  private byte[] kept = new byte[0];
  private int keptLength;
  private long size;
  private int expected;

  BodyCapture(long limit) {
    this.limit = limit;
  }

  /**
   * Takes the body's declared length ({@code Content-Length}; null or not a number when it has
   * none) as the size of the array its first bytes go into, up to {@link #MAX_PRESIZE} and the
   * limit: such a body is copied once, without growing (a 64 KiB body otherwise passed through
   * arrays of 4 to 128 KiB, each copied into the next). Nothing is allocated before bytes come, so
   * a length that is not true costs no more than the bytes that do.
   */
  void expect(String contentLength) {
    if (contentLength == null) {
      return;
    }
    try {
      expected = (int) Math.max(0, Math.min(Long.parseLong(contentLength.trim()), Math.min(limit, MAX_PRESIZE)));
    } catch (NumberFormatException e) {
      // not a length: the array grows as the body comes
    }
  }

  void append(Buffer chunk) {
    size += chunk.length();
    long room = limit - keptLength;
    if (room <= 0) {
      return;
    }
    int n = (int) Math.min(room, chunk.length());
    if (keptLength + n > kept.length) {
      long first = keptLength == 0 && expected > 0 ? expected : FIRST_CAPACITY;
      long grown = Math.max(Math.max(first, (long) kept.length * 2), keptLength + n);
      byte[] larger = PlatformDependent.allocateUninitializedArray((int) Math.min(grown, limit));
      System.arraycopy(kept, 0, larger, 0, keptLength);
      kept = larger;
    }
    chunk.getBytes(0, n, kept, keptLength);
    keptLength += n;
  }

  /** The size of the array kept so far (for tests). */
  int capacity() {
    return kept.length;
  }

  Body toBody(String contentType, String contentEncoding) {
    // The array is never written again once the body is recorded, so the capture may share it.
    ByteString data = keptLength == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(kept, 0, keptLength);
    return Body.newBuilder()
        .setData(data)
        .setSize(size)
        .setTruncated(size > keptLength)
        .setContentType(contentType == null ? "" : contentType)
        .setContentEncoding(contentEncoding == null ? "" : contentEncoding)
        .build();
  }
}
