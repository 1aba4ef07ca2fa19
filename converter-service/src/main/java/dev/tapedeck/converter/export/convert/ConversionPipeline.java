package dev.tapedeck.converter.export.convert;

import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The steps every export runs before its format's writer, one entry at a time:
 *
 * <ol>
 *   <li>drop the entries the filters do not select ({@link EntryFilter});
 *   <li>replace secrets, unless the request opted out ({@link Redactor}).
 * </ol>
 *
 * <p>Smart matching and duplicate handling group entries by route, so the mock and OpenAPI writers
 * run them on what this pipeline hands over ({@code export.mock.MockPlanner}).
 */
public final class ConversionPipeline {

  private final EntryFilter filter;
  private final Redactor redactor;

  public ConversionPipeline(ConversionOptions options) {
    this.filter = new EntryFilter(options);
    this.redactor = options.noRedact() ? null : new Redactor(options.redactJsonPaths());
  }

  /** {@code entries} filtered and redacted, lazily: one entry is pulled per entry handed on. */
  public Iterator<StoredEntry> apply(Iterator<StoredEntry> entries) {
    return new Iterator<>() {
      private StoredEntry next;

      @Override
      public boolean hasNext() {
        while (next == null && entries.hasNext()) {
          StoredEntry entry = entries.next();
          if (filter.test(entry)) {
            next = redactor == null ? entry : redactor.redact(entry);
          }
        }
        return next != null;
      }

      @Override
      public StoredEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        StoredEntry entry = next;
        next = null;
        return entry;
      }
    };
  }
}
