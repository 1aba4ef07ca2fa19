package dev.tapedeck.converter.export;

import com.google.protobuf.ByteString;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * An output stream that cuts what is written into chunks of exactly {@code chunkSize} bytes (the
 * last one shorter) and hands each to a consumer as soon as it is full.
 */
final class ChunkingOutputStream extends OutputStream {

  private final byte[] buffer;
  private final Consumer<ByteString> chunks;
  private int filled;
  private boolean closed;

  ChunkingOutputStream(int chunkSize, Consumer<ByteString> chunks) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be positive");
    }
    this.buffer = new byte[chunkSize];
    this.chunks = chunks;
  }

  @Override
  public void write(int b) {
    buffer[filled++] = (byte) b;
    emitIfFull();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    while (length > 0) {
      int n = Math.min(length, buffer.length - filled);
      System.arraycopy(bytes, offset, buffer, filled, n);
      filled += n;
      offset += n;
      length -= n;
      emitIfFull();
    }
  }

  /** Hands over the last, partly filled chunk. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (filled > 0) {
        chunks.accept(ByteString.copyFrom(buffer, 0, filled));
        filled = 0;
      }
    }
  }

  private void emitIfFull() {
    if (filled == buffer.length) {
      chunks.accept(ByteString.copyFrom(buffer));
      filled = 0;
    }
  }
}
