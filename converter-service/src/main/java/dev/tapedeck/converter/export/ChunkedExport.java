package dev.tapedeck.converter.export;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.function.Function;

/**
 * An export as a lazy sequence of chunks: each call for the next chunk pulls entries from the
 * source only until a chunk is full. Memory holds one entry and the chunks it filled, whatever the
 * session's size, plus what the writer itself must keep (the mock writers keep the session's
 * exchanges, then write their document one {@link DocumentWriter#finishStep} at a time, so its
 * chunks are taken as they fill).
 *
 * <p>The first chunk carries the content type and the file name.
 */
public final class ChunkedExport implements Iterator<ExportChunk> {

  private final Iterator<StoredEntry> entries;
  private final Queue<ByteString> ready = new ArrayDeque<>();
  private final ChunkingOutputStream out;
  private final DocumentWriter writer;
  private final String contentType;
  private final String fileName;
  private boolean finished;
  private boolean first = true;

  /**
   * An export of {@code entries}.
   *
   * @param writer makes the document writer over the stream the chunks are cut from
   * @param chunkSize the size of every chunk but the last
   */
  public ChunkedExport(
      Iterator<StoredEntry> entries,
      Function<OutputStream, DocumentWriter> writer,
      String contentType,
      String fileName,
      int chunkSize) {
    this.entries = entries;
    this.out = new ChunkingOutputStream(chunkSize, ready::add);
    this.writer = writer.apply(out);
    this.contentType = contentType;
    this.fileName = fileName;
  }

  @Override
  public boolean hasNext() {
    try {
      while (ready.isEmpty() && !finished) {
        if (entries.hasNext()) {
          writer.write(entries.next());
        } else if (writer.finishStep()) {
          out.close();
          finished = true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return !ready.isEmpty();
  }

  @Override
  public ExportChunk next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ExportChunk.Builder chunk = ExportChunk.newBuilder().setData(ready.remove());
    if (first) {
      chunk.setContentType(contentType).setFileName(fileName);
      first = false;
    }
    return chunk.build();
  }
}
