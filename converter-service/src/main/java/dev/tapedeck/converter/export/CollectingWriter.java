package dev.tapedeck.converter.export;

import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer for formats that need every exchange before writing anything (mocks group by route,
 * OpenAPI merges samples): it keeps the exchanges, decoded, and renders them at the end. A session
 * holds at most 1,000 entries, which bounds what it keeps.
 */
public final class CollectingWriter implements DocumentWriter {

  /** Writes a whole document from the collected exchanges. */
  @FunctionalInterface
  public interface Renderer {
    /** Writes the document for {@code exchanges} onto {@code out}. */
    void render(List<Exchange> exchanges, OutputStream out) throws IOException;
  }

  private final OutputStream out;
  private final Renderer renderer;
  private final List<Exchange> exchanges = new ArrayList<>();

  public CollectingWriter(OutputStream out, Renderer renderer) {
    this.out = out;
    this.renderer = renderer;
  }

  @Override
  public void write(StoredEntry entry) {
    Exchange.of(entry).ifPresent(exchanges::add);
  }

  @Override
  public void finish() throws IOException {
    renderer.render(exchanges, out);
    out.flush();
  }
}
