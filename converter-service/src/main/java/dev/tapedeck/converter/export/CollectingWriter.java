package dev.tapedeck.converter.export;

import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer for formats that need every exchange before writing anything (mocks group by route): it
 * keeps the exchanges, decoded, and renders them at the end, one piece per {@link #finishStep}, so
 * the rendered document is cut into chunks as it is written rather than held whole. A session holds
 * at most 1,000 entries, which bounds what it keeps.
 */
public final class CollectingWriter implements DocumentWriter {

  /** Starts writing a whole document from the collected exchanges. */
  @FunctionalInterface
  public interface Renderer {
    /** Writes the document's head onto {@code out} and returns what writes the rest. */
    Rendering start(List<Exchange> exchanges, OutputStream out) throws IOException;
  }

  /** A document being written piece by piece. */
  @FunctionalInterface
  public interface Rendering {
    /**
     * Writes the next piece (a mapping, a mock), or the end of the document after the last one.
     *
     * @return true when the document is complete
     */
    boolean writeNext() throws IOException;
  }

  private final OutputStream out;
  private final Renderer renderer;
  private List<Exchange> exchanges = new ArrayList<>();
  private Rendering rendering;

  public CollectingWriter(OutputStream out, Renderer renderer) {
    this.out = out;
    this.renderer = renderer;
  }

  @Override
  public void write(StoredEntry entry) {
    Exchange.of(entry).ifPresent(exchanges::add);
  }

  @Override
  public boolean finishStep() throws IOException {
    if (rendering == null) {
      rendering = renderer.start(exchanges, out);
      exchanges = null; // what the rendering needs, it has planned; let the rest go
    }
    boolean done = rendering.writeNext();
    out.flush();
    return done;
  }

  @Override
  public void finish() throws IOException {
    while (!finishStep()) {
      // every piece, at once
    }
  }
}
