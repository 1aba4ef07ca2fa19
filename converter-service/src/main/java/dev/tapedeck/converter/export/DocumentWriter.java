package dev.tapedeck.converter.export;

import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;

/**
 * Writes one export document entry by entry, onto the output stream it was made with, so that no
 * more than one entry is held at a time.
 */
public interface DocumentWriter {

  /** Writes the next entry (and, before the first, whatever the document starts with). */
  void write(StoredEntry entry) throws IOException;

  /** Writes the end of the document and flushes it; nothing is written after. */
  void finish() throws IOException;

  /**
   * Writes part of the end of the document, for writers whose end is most of it (mocks are written
   * once every entry is known): {@link ChunkedExport} calls it until it returns true, taking the
   * chunks filled in between, so the whole document is never held. By default, {@link #finish}.
   *
   * @return true when the document is complete
   */
  default boolean finishStep() throws IOException {
    finish();
    return true;
  }
}
