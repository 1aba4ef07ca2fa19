package dev.tapedeck.control.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * size is imported in the memory of its largest entry. Everything but {@code log.entries} is
 * skipped.
 */
final class HarEntries implements Iterator<JsonNode>, Closeable {
  private final JsonParser parser;
  private JsonNode next;
  private BadHarException breakOff;

  /**
   * Positions a reader at the first entry.
   *
   * @throws BadHarException if the file is not JSON or has no {@code log.entries} array
   */
  HarEntries(ObjectMapper json, InputStream in) {
    try {
      parser = json.getFactory().createParser(in);
      parser.setCodec(json);
      if (parser.nextToken() != JsonToken.START_OBJECT || !seek("log") || parser.nextToken() != JsonToken.START_OBJECT
          || !seek("entries") || parser.nextToken() != JsonToken.START_ARRAY) {
        throw new BadHarException("not a HAR file: it needs a log object with an entries array");
      }
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
    try {
      JsonToken token = parser.nextToken();
      next = token == JsonToken.END_ARRAY || token == null ? null : parser.readValueAsTree();
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

  @Override
  public JsonNode next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    JsonNode current = next;
    advance();
    return current;
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
  static final class BadHarException extends RuntimeException {
    BadHarException(String message) {
      super(message);
    }
  }
}
