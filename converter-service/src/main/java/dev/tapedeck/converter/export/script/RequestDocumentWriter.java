package dev.tapedeck.converter.export.script;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tapedeck.converter.export.DocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The steps every writer of replayable requests shares (API Tester and Postman collections,
 * Insomnia, k6 and node:test scripts), so each writer says only what its document looks like:
 *
 * <ol>
 *   <li>an entry that is not a replayable HTTP exchange ({@link Exchange#of}) is skipped;
 *   <li>before the first request, or at the end of a session with none, the head is written once
 *       ({@link #writeHead});
 *   <li>each request is written ({@link #writeRequest}) and {@link #out} flushed, so the export streams entry by
 *       entry;
 *   <li>at the end the tail is written ({@link #writeTail}: the origins' default variables) and
 *       flushed.
 * </ol>
 */
public abstract class RequestDocumentWriter<O extends Flushable> implements DocumentWriter {

  /** The session exported. */
  protected final ExportSession session;

  /** The export's options. */
  protected final ConversionOptions options;

  /** The variables the requests call their hosts through. */
  protected final Origins origins;

  /** What the document is written with (a JSON or YAML generator, or a text writer). */
  protected final O out;

  /** Values to extract from answers and send in later requests ({@link CorrelatedValues}). */
  protected CorrelatedValues correlations = CorrelatedValues.NONE;

  private boolean headWritten;

  protected RequestDocumentWriter(
      ExportSession session, ConversionOptions options, Origins origins, O out) {
    this.session = session;
    this.options = options;
    this.origins = origins;
    this.out = out;
  }

  /** Makes the requests use {@code values}: extract at their source, send the variable later. */
  public void useCorrelations(CorrelatedValues values) {
    this.correlations = values == null ? CorrelatedValues.NONE : values;
  }

  @Override
  public final void write(StoredEntry entry) throws IOException {
    Optional<Exchange> exchange = Exchange.of(entry);
    if (exchange.isEmpty()) {
      return;
    }
    head();
    writeRequest(exchange.get());
    out.flush();
  }

  @Override
  public final void finish() throws IOException {
    head();
    writeTail();
    out.flush();
  }

  private void head() throws IOException {
    if (!headWritten) {
      headWritten = true;
      writeHead();
    }
  }

  /** Writes what the document starts with; called once. */
  protected abstract void writeHead() throws IOException;

  /** Writes one replayable request. */
  protected abstract void writeRequest(Exchange exchange) throws IOException;

  /** Writes what the document ends with; called once, last. */
  protected abstract void writeTail() throws IOException;

  /** A UTF-8 JSON (or YAML) generator writing onto {@code out}, leaving it open when closed. */
  protected static JsonGenerator generator(JsonFactory factory, OutputStream out, boolean pretty)
      throws IOException {
    JsonGenerator generator = factory.createGenerator(out, JsonEncoding.UTF8);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    if (pretty) {
      generator.useDefaultPrettyPrinter();
    }
    return generator;
  }

  /** A UTF-8 text writer onto {@code out}, for scripts. */
  protected static Writer text(OutputStream out) {
    return new OutputStreamWriter(out, StandardCharsets.UTF_8);
  }
}
