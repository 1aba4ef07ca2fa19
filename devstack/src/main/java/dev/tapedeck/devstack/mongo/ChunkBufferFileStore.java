package dev.tapedeck.devstack.mongo;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.h2.mvstore.SingleFileStore;
import org.h2.mvstore.WriteBuffer;

/**
 * The store's file, keeping the buffers that commits are serialized into.
 *
 * <p>H2 keeps only buffers of up to 4 MiB between commits; a larger chunk starts again from 1 MiB
 * and grows by half at each step, each step a new array (zeroed) and a copy of everything written
 * so far. A commit of 64 KiB captures writes 11 to 13 MiB (the store commits at {@link
 * StoreFormat#AUTO_COMMIT_BUFFER_KIB} of unsaved pages), so each one allocated, zeroed and copied
 * several times the bytes it wrote: the largest single cost in the store's profile under a 64 KiB load. Here a
 * buffer that had to grow is replaced, once, by one of the size it reached (a fifth more, at most
 * {@link #KEPT_BYTES}), and up to {@link #KEPT_BUFFERS} buffers are kept: a commit is serialized on
 * one thread while the previous one is written on another.
 */
final class ChunkBufferFileStore extends SingleFileStore {
  /** The largest buffer kept between commits; a larger chunk grows a buffer of its own. */
  static final int KEPT_BYTES = 32 << 20;

  /** How many buffers are kept between commits. */
  static final int KEPT_BUFFERS = 2;

  private static final int FIRST_BYTES = 1 << 20;

  private final Object lock = new Object();
  /** The buffers kept for the next commits, each made at {@link #made}'s size. */
  private final ArrayDeque<WriteBuffer> kept = new ArrayDeque<>();
  /** The capacity each buffer of this store (kept or in use) was made with. */
  private final Map<WriteBuffer, Integer> made = new IdentityHashMap<>();
  /** The size new buffers get: what the largest chunk so far needed, up to {@link #KEPT_BYTES}. */
  private int size = FIRST_BYTES;
  private long buffersMade;

  ChunkBufferFileStore(Map<String, Object> config) {
    super(config);
  }

  @Override
  public WriteBuffer getWriteBuffer() {
    int bytes;
    synchronized (lock) {
      WriteBuffer buffer = kept.poll();
      if (buffer != null) {
        return buffer.clear();
      }
      bytes = size;
    }
    WriteBuffer buffer = new WriteBuffer(bytes);
    synchronized (lock) {
      made.put(buffer, bytes);
      buffersMade++;
    }
    return buffer;
  }

  @Override
  public void releaseWriteBuffer(WriteBuffer buffer) {
    int capacity = buffer.capacity();
    synchronized (lock) {
      Integer bytes = made.get(buffer);
      if (bytes == null) {
        return; // not one of this store's
      }
      if (capacity > bytes) {
        // It grew: the next new buffer starts at the size this chunk needed.
        size = Math.max(size, (int) Math.min(KEPT_BYTES, capacity + capacity / 5L));
      }
      if (capacity > bytes || bytes < size || kept.size() >= KEPT_BUFFERS) {
        made.remove(buffer);
      } else {
        kept.add(buffer);
      }
    }
  }

  /** How many buffers this store has made (for tests). */
  long buffersMade() {
    synchronized (lock) {
      return buffersMade;
    }
  }

  /** The size the next new buffer gets (for tests). */
  int nextBufferBytes() {
    synchronized (lock) {
      return size;
    }
  }
}
