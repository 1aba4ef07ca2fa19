package dev.tapedeck.converter.export;

import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.converter.export.convert.EntryFilter;
import dev.tapedeck.converter.export.script.CorrelatedValues;
import dev.tapedeck.converter.export.script.RequestDocumentWriter;
import dev.tapedeck.proto.converter.v1.ConversionOptions.Builder;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** Runs an export the way the endpoint does: options parsed, correlations (script formats), pipeline, format's writer. */
public final class Exports {

  public static final ExportSession SESSION = new ExportSession("s-1", "Shop API", "test");

  private Exports() {}

  /** Options built on the proto, which must be valid. */
  public static ConversionOptions options(Consumer<Builder> settings) {
    Builder builder = dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder();
    settings.accept(builder);
    List<String> errors = new ArrayList<>();
    ConversionOptions options = ConversionOptions.parse(builder.build(), errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return options;
  }

  /** The document {@code format} makes of {@code entries}, as text. */
  public static String export(
      ExportFormat format, List<StoredEntry> entries, ConversionOptions options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DocumentWriter writer = format.writer(out, SESSION, options);
    if (writer instanceof RequestDocumentWriter<?> scripted
        && (format == ExportFormat.K6 || format == ExportFormat.NODE_TEST || format == ExportFormat.POSTMAN)) {
      EntryFilter filter = new EntryFilter(options);
      scripted.useCorrelations(CorrelatedValues.of(entries.stream().filter(filter).iterator()));
    }
    try {
      Iterator<StoredEntry> kept = new ConversionPipeline(options).apply(entries.iterator());
      while (kept.hasNext()) {
        writer.write(kept.next());
      }
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
