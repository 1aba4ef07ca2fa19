package dev.tapedeck.proxyservice.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * A first-in first-out queue of Kafka records on disk, bounded in bytes: where captures wait while
 * Kafka is unavailable. Records live in segment files ({@code <n>.seg}, rolled at {@link
 * #SEGMENT_BYTES}) as {@code [record length][key length][key][value]}; a segment is deleted once
 * all its records are removed, and the file {@code head} says where the oldest remaining record
 * starts. Records left by an earlier run are found again on open, so a proxy
 * restarted during an outage still publishes them.
 *
 * <p>Writes are not forced to the device: a crash of the process loses nothing (the OS holds the
 * pages), a crash of the machine may lose the newest records.
 *
 * <p>Thread-safe; every method is synchronized.
 */
final class DiskSpool implements Closeable {
  static final long SEGMENT_BYTES = 16L * 1024 * 1024;
  private static final int HEADER = 8;
  private static final String HEAD_FILE = "head";

  /** A spooled record. */
  record Spooled(String key, byte[] value) {
    long size() {
      return HEADER + key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
    }
  }

  private record Slot(long segment, long offset, int length) {}

  private final Path dir;
  private final long maxBytes;
  private final Deque<Slot> slots = new ArrayDeque<>();
  private volatile long bytes;
  private long tailSegment;
  private FileChannel tail;
  private long tailSize;

  /**
   * Opens the spool in {@code dir} (created if missing), finding the records an earlier run left.
   *
   * @param maxBytes the most bytes it holds; {@link #append} refuses beyond
   */
  DiskSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      long[] head = readHead();
      for (long segment : segments()) {
        if (segment < head[0]) {
          Files.deleteIfExists(file(segment));
          continue;
        }
        recover(segment, segment == head[0] ? head[1] : 0);
        tailSegment = segment;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the capture spool in " + dir, e);
    }
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d+\\.seg"))
          .map(n -> Long.parseLong(n.substring(0, n.length() - 4)))
          .sorted()
          .toList();
    }
  }

  /** Where the oldest record not yet removed starts: {segment, offset}; {0, 0} if not recorded. */
  private long[] readHead() throws IOException {
    Path head = dir.resolve(HEAD_FILE);
    if (!Files.isRegularFile(head)) {
      return new long[] {0, 0};
    }
    String[] parts = Files.readString(head).trim().split(" ");
    try {
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  private void writeHead() {
    Path head = dir.resolve(HEAD_FILE);
    try {
      Slot first = slots.peekFirst();
      if (first == null) {
        Files.deleteIfExists(head);
      } else {
        Files.writeString(head, first.segment() + " " + first.offset() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record the spool's head in " + dir, e);
    }
  }

  private void recover(long segment, long from) throws IOException {
    try (FileChannel channel = FileChannel.open(file(segment), StandardOpenOption.READ)) {
      long size = channel.size();
      long offset = from;
      ByteBuffer length = ByteBuffer.allocate(4);
      while (offset + 4 <= size) {
        length.clear();
        channel.read(length, offset);
        int recordLength = length.flip().getInt();
        if (recordLength < HEADER || offset + recordLength > size) {
          break; // a record cut short by a crash: everything before it is kept
        }
        slots.add(new Slot(segment, offset, recordLength));
        bytes += recordLength;
        offset += recordLength;
      }
    }
  }

  /** Adds a record at the end; false (nothing written) if it would pass the byte bound. */
  synchronized boolean append(String key, byte[] value) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    int length = HEADER + keyBytes.length + value.length;
    if (bytes + length > maxBytes) {
      return false;
    }
    try {
      if (tail == null || tailSize + length > SEGMENT_BYTES && tailSize > 0) {
        roll();
      }
      ByteBuffer buffer = ByteBuffer.allocate(length);
      buffer.putInt(length).putInt(keyBytes.length).put(keyBytes).put(value).flip();
      long offset = tailSize;
      while (buffer.hasRemaining()) {
        tail.write(buffer);
      }
      tailSize += length;
      slots.add(new Slot(tailSegment, offset, length));
      bytes += length;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to the capture spool in " + dir, e);
    }
  }

  private void roll() throws IOException {
    if (tail != null) {
      tail.close();
    }
    tailSegment++;
    tail =
        FileChannel.open(
            file(tailSegment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    tailSize = 0;
  }

  /** Up to {@code max} records from the front, oldest first, without removing them. */
  synchronized List<Spooled> peek(int max) {
    List<Spooled> records = new ArrayList<>(Math.min(max, slots.size()));
    FileChannel open = null;
    long openSegment = -1;
    try {
      for (Slot slot : slots) {
        if (records.size() == max) {
          break;
        }
        if (slot.segment() != openSegment) {
          if (open != null) {
            open.close();
          }
          open = FileChannel.open(file(slot.segment()), StandardOpenOption.READ);
          openSegment = slot.segment();
        }
        ByteBuffer buffer = ByteBuffer.allocate(slot.length());
        while (buffer.hasRemaining() && open.read(buffer, slot.offset() + buffer.position()) > 0) {
          // keep reading
        }
        buffer.flip();
        buffer.getInt();
        byte[] key = new byte[buffer.getInt()];
        buffer.get(key);
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        records.add(new Spooled(new String(key, StandardCharsets.UTF_8), value));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the capture spool in " + dir, e);
    } finally {
      if (open != null) {
        try {
          open.close();
        } catch (IOException ignored) {
          // read-only channel
        }
      }
    }
  }

  /** Removes the {@code n} oldest records, deleting segments that hold no record any more. */
  synchronized void remove(int n) {
    boolean[] all = new boolean[Math.min(n, slots.size())];
    java.util.Arrays.fill(all, true);
    remove(all);
  }

  /**
   * Removes, among the {@code done.length} oldest records, those whose {@code done} flag is set; the
   * others stay, in order, at the front. Segments no remaining record lies in are deleted.
   */
  synchronized void remove(boolean[] done) {
    List<Slot> kept = new ArrayList<>();
    java.util.Set<Long> freed = new java.util.TreeSet<>();
    for (int i = 0; i < done.length && !slots.isEmpty(); i++) {
      Slot slot = slots.removeFirst();
      if (done[i]) {
        bytes -= slot.length();
        freed.add(slot.segment());
      } else {
        kept.add(slot);
      }
    }
    Slot after = slots.peekFirst();
    for (int i = kept.size() - 1; i >= 0; i--) {
      slots.addFirst(kept.get(i));
    }
    for (long segment : freed) {
      boolean stillUsed =
          kept.stream().anyMatch(k -> k.segment() == segment) || (after != null && after.segment() <= segment);
      if (!stillUsed && (segment != tailSegment || tail == null)) {
        delete(segment);
      }
    }
    writeHead();
    if (slots.isEmpty() && tail != null) {
      try {
        tail.close();
      } catch (IOException ignored) {
        // nothing buffered
      }
      tail = null;
      delete(tailSegment);
    }
  }

  private void delete(long segment) {
    try {
      Files.deleteIfExists(file(segment));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete a spool segment in " + dir, e);
    }
  }

  synchronized boolean isEmpty() {
    return slots.isEmpty();
  }

  synchronized int count() {
    return slots.size();
  }

  /** Bytes held; read without the lock, so the event loop can look without waiting. */
  long bytes() {
    return bytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  private Path file(long segment) {
    return dir.resolve(String.format("%016d.seg", segment));
  }

  @Override
  public synchronized void close() {
    if (tail != null) {
      try {
        tail.close();
      } catch (IOException ignored) {
        // nothing buffered
      }
      tail = null;
    }
  }
}
