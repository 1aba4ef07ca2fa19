package dev.tapedeck.cli.exports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.ApiCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tapedeck import FILE.har}: a HAR file as a session's entries. */
@Command(name = "import", description = "Import a HAR file (Chromium, Firefox, ...) as a new session, or into --session.")
public final class ImportCommand extends ApiCommand {
  @Parameters(paramLabel = "FILE", description = "The HAR file.")
  Path file;

  @Option(names = "--name", paramLabel = "NAME", description = "The new session's name (default: the file's name).")
  String name;

  @Option(names = "--session", paramLabel = "SESSION", description = "Import into this session of yours instead.")
  String sessionId;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (name != null) {
      fields.put("name", name);
    }
    if (sessionId != null) {
      fields.put("sessionId", sessionId);
    }
    JsonNode answer = api().postMultipart("/api/v1/recorder/import", fields, file);
    if (json()) {
      printJson(answer);
      return 0;
    }
    printLine(
        "imported " + answer.path("imported").asLong() + " entries into session "
            + answer.path("session").path("id").asText() + " (" + answer.path("session").path("name").asText() + ")"
            + (answer.path("duplicates").asLong() > 0 ? ", " + answer.path("duplicates").asLong() + " duplicates" : "")
            + (answer.path("failed").asLong() > 0 ? ", " + answer.path("failed").asLong() + " failed" : ""));
    for (JsonNode error : answer.path("errors")) {
      err().println("  entry " + error.path("index").asInt() + ": " + error.path("message").asText());
    }
    err().flush();
    return 0;
  }
}
