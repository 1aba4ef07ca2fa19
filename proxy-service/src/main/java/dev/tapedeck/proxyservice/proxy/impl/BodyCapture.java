package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tapedeck.proto.capture.v1.Body;
import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps the first {@code limit} bytes of a body passing through and counts the rest; past the
 * limit nothing more is held, so a 200 MiB body costs at most {@code limit} bytes of memory.
 *
 * <p>A chunk read from the network is {@linkplain #adopt adopted}: kept where Vert.x put it, not
 * copied. Any other chunk is copied once, into an array sized from the body's declared length or
 * else grown by doubling. The recording wraps what is kept as it is: no further copy on the way to
 * the capture.
 *
 * <p>The array is not zeroed first where the JVM lets Netty skip that (the proxy's JVM options, see
 * the dev stack's {@code Service.UNZEROED_NETTY_BUFFERS}): every byte of it that the capture shows
 * is written from the body first, and the rest is never read.
 */
final class BodyCapture {
  private static final int FIRST_CAPACITY = 4096;
  /**
   * Chunks smaller than this are copied even when they could be adopted: a piece kept as it is
   * costs a wrapper and a rope node (about 80 bytes), which a stream of small reads, such as
   * server-sent events, would pay per event, and copying a small chunk costs next to nothing.
   */
  static final int MIN_ADOPTED_BYTES = 4096;
  /** The package and name prefix of Vert.x 4.5's heap buffers ({@code VertxHeapByteBuf}, {@code VertxUnsafeHeapByteBuf}). */
  private static final String VERTX_HEAP_BUFFERS = "io.vertx.core.buffer.impl.Vertx";
  /** The most a declared length may size the array to up front; larger bodies grow past it. */
  static final int MAX_PRESIZE = 256 * 1024;

  private final long limit;
  /** The bytes kept before those in {@link #kept}: adopted chunks, and the copies made before them. */
  private ByteString before = ByteString.EMPTY;
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

  /** Keeps a copy of {@code chunk}'s bytes, up to the limit. */
  void append(Buffer chunk) {
    int n = counted(chunk.length());
    if (n == 0) {
      return;
    }
    if (keptLength + n > kept.length) {
      long first = keptLength == 0 && expected > before.size() ? expected - before.size() : FIRST_CAPACITY;
      long grown = Math.max(Math.max(first, (long) kept.length * 2), keptLength + n);
      byte[] larger = PlatformDependent.allocateUninitializedArray((int) Math.min(grown, limit - before.size()));
      System.arraycopy(kept, 0, larger, 0, keptLength);
      kept = larger;
    }
    chunk.getBytes(0, n, kept, keptLength);
    keptLength += n;
  }

  /**
   * Keeps {@code chunk}'s bytes, up to the limit, where they are: the recording shares them. Only
   * for a chunk nobody writes again, as Vert.x hands over each read from a connection: in a heap
   * array of its own, copied out of Netty's pool, which it only reads after. A 64 KiB response is
   * then not copied a second time on the event loop, and the proxy allocates about a third less per
   * 64 KiB exchange recorded. Pieces are gathered, if at all, on the publisher thread into an
   * array it keeps ({@code PackedBodies}). A chunk under {@link #MIN_ADOPTED_BYTES}, or one that is
   * not one of Vert.x's own heap buffers, is copied.
   */
  void adopt(Buffer chunk) {
    // Small chunks are looked at no further: getByteBuf makes a slice, and most reads are small.
    ByteBuf bytes = chunk.length() < MIN_ADOPTED_BYTES ? null : chunk.getByteBuf();
    if (bytes == null || !vertxOwned(bytes)) {
      append(chunk);
      return;
    }
    int n = counted(chunk.length());
    if (n == 0) {
      return;
    }
    if (keptLength > 0) {
      // The copies so far go first; a copy after this chunk starts an array of its own.
      before = before.concat(UnsafeByteOperations.unsafeWrap(kept, 0, keptLength));
      kept = new byte[0];
      keptLength = 0;
    }
    before = before.concat(UnsafeByteOperations.unsafeWrap(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), n));
  }

  /** Counts {@code length} more bytes of the body; how many of them fit under the limit. */
  private int counted(int length) {
    size += length;
    return (int) Math.max(0, Math.min(limit - before.size() - keptLength, length));
  }

  /**
   * Whether {@code slice} (a {@link Buffer#getByteBuf}) lies in one of Vert.x's own heap buffers,
   * as it copies each read out of Netty's pool into ({@code VertxHandler.safeBuffer}): nothing else
   * holds its array. A read Vert.x passes on as Netty made it (from an allocator that does not pool)
   * may be a slice of a buffer the decoder writes again, so it is copied.
   */
  private static boolean vertxOwned(ByteBuf slice) {
    ByteBuf owner = slice.unwrap();
    return slice.hasArray() && owner != null && owner.getClass().getName().startsWith(VERTX_HEAP_BUFFERS);
  }

  /** The size of the array kept so far (for tests). */
  int capacity() {
    return kept.length;
  }

  Body toBody(String contentType, String contentEncoding) {
    // What is kept is never written again once the body is recorded (a later copy goes past
    // keptLength or into a new array), so the capture may share it.
    ByteString data = keptLength == 0 ? before : before.concat(UnsafeByteOperations.unsafeWrap(kept, 0, keptLength));
    return Body.newBuilder()
        .setData(data)
        .setSize(size)
        .setTruncated(size > data.size())
        .setContentType(contentType == null ? "" : contentType)
        .setContentEncoding(contentEncoding == null ? "" : contentEncoding)
        .build();
  }
}
