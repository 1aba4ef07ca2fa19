package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.proto.capture.v1.Body;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Keeps the first {@code limit} bytes of a body passing through and counts the rest; past the
 * limit nothing more is held, so a 200 MiB body costs at most {@code limit} bytes of memory.
 *
 * <p>Each chunk is copied once, into an array that grows by doubling, and the recording wraps that
 * array as it is: no further copy on the way to the capture.
 */
final class BodyCapture {
  private static final int FIRST_CAPACITY = 4096;

  private final long limit;
  private byte[] kept = new byte[0];
  private int keptLength;
  private long size;

  BodyCapture(long limit) {
    this.limit = limit;
  }

  void append(Buffer chunk) {
    size += chunk.length();
    long room = limit - keptLength;
    if (room <= 0) {
      return;
    }
    int n = (int) Math.min(room, chunk.length());
    if (keptLength + n > kept.length) {
      long grown = Math.max(Math.max(FIRST_CAPACITY, (long) kept.length * 2), keptLength + n);
      kept = Arrays.copyOf(kept, (int) Math.min(grown, limit));
    }
    chunk.getBytes(0, n, kept, keptLength);
    keptLength += n;
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
