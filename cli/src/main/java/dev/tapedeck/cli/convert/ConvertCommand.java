package dev.tapedeck.cli.convert;

import dev.tapedeck.cli.exports.ConversionFlags;
import dev.tapedeck.control.imports.HarEntries;
import dev.tapedeck.control.imports.HarExchangeMapper;
import dev.tapedeck.converter.export.DocumentWriter;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tapedeck convert FILE.har --format F}: offline, no server. The HAR is read entry by entry by
 * control-service's HAR import reader ({@link HarEntries}, {@link HarExchangeMapper}), and written by
 * converter-service's own conversion pipeline and document writers ({@link ConversionPipeline},
 * {@link ExportFormat}), with the options validated by the converter's parser: the same document an
 * import followed by an export would give.
 */
@Command(
    name = "convert",
    description = {
      "Convert a HAR file offline (no server): wiremock, mockd, postman, insomnia-v4, insomnia-v5, openapi, k6, node-test, collection, har.",
      "  tapedeck convert recording.har --format wiremock --smart-match -o mappings.json"
    })
public final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The HAR file (- for standard input).")
  String file;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", required = true, description = "The output format.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  Path output;

  @Option(names = "--max-entry-bytes", paramLabel = "BYTES", defaultValue = "16777216", description = "Skip HAR entries larger than this (default ${DEFAULT-VALUE}, as the server's import).")
  long maxEntryBytes;

  @Mixin ConversionFlags flags;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (maxEntryBytes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-entry-bytes must be at least 1");
    }
    ExportFormat target =
        ExportFormat.named(format)
            .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--format: unknown format \"" + format + "\"; supported: " + ExportFormat.supported()));
    List<String> errors = new ArrayList<>();
    ConversionOptions options = ConversionOptions.parse(flags.toProto(), errors);
    if (!errors.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", errors));
    }
    String name = file.equals("-") ? "stdin" : Path.of(file).getFileName().toString().replaceFirst("\\.har$", "");
    ExportSession session = new ExportSession("offline", name, version());
    List<String> skipped = new ArrayList<>();
    int read;
    try (InputStream in = file.equals("-") ? System.in : new BufferedInputStream(Files.newInputStream(Path.of(file)));
        HarEntries har = new HarEntries(new ObjectMapper(), in, maxEntryBytes);
        OutputStream out = output == null ? System.out : new BufferedOutputStream(Files.newOutputStream(output))) {
      StoredEntries entries = new StoredEntries(har, skipped);
      DocumentWriter writer = target.writer(out, session, options);
      Iterator<StoredEntry> selected = new ConversionPipeline(options).apply(entries);
      while (selected.hasNext()) {
        writer.write(selected.next());
      }
      writer.finish();
      out.flush();
      read = entries.count;
    } catch (HarEntries.BadHarException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
    for (String problem : skipped) {
      err.println("tapedeck: skipped " + problem);
    }
    if (output != null) {
      err.println("tapedeck: converted " + (read - skipped.size()) + " of " + read + " entries to " + target.id() + " in " + output);
    }
    err.flush();
    return 0;
  }

  private static String version() {
    String version = ConvertCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The HAR's entries as stored entries, numbered from 1; an entry that cannot be read is skipped and told. */
  private static final class StoredEntries implements Iterator<StoredEntry> {
    private final HarEntries har;
    private final List<String> skipped;
    private StoredEntry next;
    int count;

    StoredEntries(HarEntries har, List<String> skipped) {
      this.har = har;
      this.skipped = skipped;
    }

    @Override
    public boolean hasNext() {
      while (next == null && har.hasNext()) {
        int index = count++;
        try {
          JsonNode entry = har.next();
          next = StoredEntry.newBuilder().setExchange(HarExchangeMapper.map(entry, "offline")).setSequence(index + 1).build();
        } catch (HarEntries.Oversized | IllegalArgumentException e) {
          skipped.add("entry " + index + ": " + e.getMessage());
        }
      }
      return next != null;
    }

    @Override
    public StoredEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      StoredEntry current = next;
      next = null;
      return current;
    }
  }
}
