package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps the first {@code limit} bytes of a body passing through and counts the rest; past the
 * limit nothing more is held, so a 200 MiB body costs at most {@code limit} bytes of memory.
 */
final class BodyCapture {
  private final long limit;
  private final Buffer kept = Buffer.buffer();
  private long size;

  BodyCapture(long limit) {
    this.limit = limit;
  }

  void append(Buffer chunk) {
    size += chunk.length();
    long room = limit - kept.length();
    if (room > 0) {
      kept.appendBuffer(room >= chunk.length() ? chunk : chunk.slice(0, (int) room));
    }
  }

  Body toBody(String contentType, String contentEncoding) {
    return Body.newBuilder()
        .setData(ByteString.copyFrom(kept.getBytes()))
        .setSize(size)
        .setTruncated(size > kept.length())
        .setContentType(contentType == null ? "" : contentType)
        .setContentEncoding(contentEncoding == null ? "" : contentEncoding)
        .build();
  }
}
