package dev.tapedeck.control.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The entries of a HAR file, read one at a time with Jackson's streaming parser, so a file of any
 * size is imported in the memory of one entry, and no entry is read past {@code maxEntryBytes}:
 * a larger one is skipped and reported as {@link Oversized}. Everything but {@code log.entries}
 * is skipped.
 *
 * <p>Public for the tapedeck CLI, which reads HAR files offline with it ({@code tapedeck convert}).
 */
public final class HarEntries implements Iterator<JsonNode>, Closeable {
  /** Stands for an entry that was larger than the cap; it was skipped, not read. */
  public static final class Oversized extends RuntimeException {
    Oversized(String message) {
      super(message, null, false, false);
    }
  }

  private final JsonParser parser;
  private final long maxEntryBytes;
  private JsonNode next;
  private Oversized oversized;
  private BadHarException breakOff;
  private JsonStreamContext entriesArray;
  private long entryStart;

  /** A reader without a per-entry cap. */
  public HarEntries(ObjectMapper json, InputStream in) {
    this(json, in, Long.MAX_VALUE);
  }

  /**
   * Positions a reader at the first entry.
   *
   * @throws BadHarException if the file is not JSON or has no {@code log.entries} array
   */
  public HarEntries(ObjectMapper json, InputStream in, long maxEntryBytes) {
    this.maxEntryBytes = maxEntryBytes;
    try {
      parser = new CappedParser(json.getFactory().createParser(in));
      parser.setCodec(json);
      if (parser.nextToken() != JsonToken.START_OBJECT || !seek("log") || parser.nextToken() != JsonToken.START_OBJECT
          || !seek("entries") || parser.nextToken() != JsonToken.START_ARRAY) {
        throw new BadHarException("not a HAR file: it needs a log object with an entries array");
      }
      entriesArray = parser.getParsingContext();
      advance();
    } catch (IOException e) {
      throw new BadHarException("not a HAR file: " + e.getMessage());
    }
  }

  /** Moves to the value of {@code field} in the current object, skipping other fields. */
  private boolean seek(String field) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      if (field.equals(parser.currentName())) {
        return true;
      }
      parser.nextToken();
      parser.skipChildren();
    }
    return false;
  }

  private void advance() {
    oversized = null;
    try {
      JsonToken token = ((CappedParser) parser).rawNextToken();
      if (token == JsonToken.END_ARRAY || token == null) {
        next = null;
        return;
      }
      entryStart = parser.currentTokenLocation().getByteOffset();
      try {
        next = parser.readValueAsTree();
      } catch (Oversized e) {
        // Skip the rest of this entry without keeping it: to the end of its object in the array.
        while (parser.getParsingContext() != entriesArray) {
          if (((CappedParser) parser).rawNextToken() == null) {
            throw new IOException("the file ends inside an entry");
          }
        }
        next = NullNode.getInstance();
        oversized = e;
      }
    } catch (IOException e) {
      // Reported once the entries before the break are taken: they are good.
      next = null;
      breakOff = new BadHarException("the HAR file breaks off here: " + e.getMessage());
    }
  }

  /**
   * Whether another entry follows.
   *
   * @throws BadHarException when the file breaks off after the entries returned so far
   */
  @Override
  public boolean hasNext() {
    if (next == null && breakOff != null) {
      BadHarException failure = breakOff;
      breakOff = null;
      throw failure;
    }
    return next != null;
  }

  /**
   * The next entry.
   *
   * @throws Oversized if it is larger than the cap (the reader has moved past it)
   */
  @Override
  public JsonNode next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    JsonNode current = next;
    Oversized tooLarge = oversized;
    advance();
    if (tooLarge != null) {
      throw tooLarge;
    }
    return current;
  }

  /** Counts the entries left without keeping any of them (each is skipped over). */
  long countRemaining() {
    long count = next == null ? 0 : 1;
    try {
      JsonToken token;
      while ((token = ((CappedParser) parser).rawNextToken()) != null && token != JsonToken.END_ARRAY) {
        parser.skipChildren();
        count++;
      }
    } catch (IOException e) {
      // a file that breaks off: the entries before the break are what an import takes
    }
    next = null;
    return count;
  }

  /** Refuses to read tokens more than {@code maxEntryBytes} into the current entry. */
  private final class CappedParser extends JsonParserDelegate {
    CappedParser(JsonParser d) {
      super(d);
    }

    JsonToken rawNextToken() throws IOException {
      return delegate.nextToken();
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = delegate.nextToken();
      if (entriesArray != null && maxEntryBytes != Long.MAX_VALUE
          && delegate.currentLocation().getByteOffset() - entryStart > maxEntryBytes) {
        throw new Oversized(
            "the entry is larger than the per-entry cap of " + maxEntryBytes + " bytes (tapedeck.imports.max-entry-bytes)");
      }
      return token;
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file as a whole cannot be read as a HAR. */
  public static final class BadHarException extends RuntimeException {
    BadHarException(String message) {
      super(message);
    }
  }
}
