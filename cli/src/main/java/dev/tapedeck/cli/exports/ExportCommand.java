package dev.tapedeck.cli.exports;

import dev.tapedeck.cli.ApiCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tapedeck export SESSION}: a session as HAR, mocks, a collection or a script. */
@Command(
    name = "export",
    description = "Export a session's entries: har (default), wiremock, mockd, postman, insomnia-v4, insomnia-v5, openapi, k6, node-test, collection.")
public final class ExportCommand extends ApiCommand {
  @Parameters(paramLabel = "SESSION", description = "The session id.")
  String id;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "har", description = "The format (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  String output;

  @Option(names = "--entry", paramLabel = "ENTRY", split = ",", description = "Only these entry ids.")
  List<String> entryIds = new ArrayList<>();

  @Mixin ConversionFlags flags;

  @Override
  public Integer call() {
    long bytes = Exports.write(api(), id, Exports.format(format), entryIds, flags, output, out());
    if (bytes >= 0) {
      err().println("wrote " + output + " (" + bytes + " bytes)");
      err().flush();
    }
    return 0;
  }
}
