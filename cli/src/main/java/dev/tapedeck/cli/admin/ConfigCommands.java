package dev.tapedeck.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tapedeck configs [list | save | export | delete]}: saved session configurations. */
@Command(
    name = "configs",
    description = "Saved session configurations (a start body with a name); `tapedeck start --config FILE` uses an export.",
    subcommands = {ConfigCommands.Save.class, ConfigCommands.Export.class, ConfigCommands.Delete.class})
public final class ConfigCommands extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode answer = api().get("/api/v1/recorder/configs");
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table("ID", "NAME", "MODE", "TARGET", "CREATED");
    for (JsonNode c : answer.path("configs")) {
      JsonNode config = c.path("config");
      table.row(text(c, "id"), text(config, "name"), text(config, "mode"), text(config, "targetUrl"), text(c, "createdAt"));
    }
    table.print(out());
    return 0;
  }

  @Command(name = "save", description = "Save a JSON start body (with a name) as a config.")
  public static final class Save extends ApiCommand {
    @Parameters(paramLabel = "FILE", description = "The JSON file.")
    Path file;

    @Override
    public Integer call() throws IOException {
      JsonNode answer = api().post("/api/v1/recorder/configs", Api.JSON.readTree(Files.readAllBytes(file)));
      if (json()) {
        printJson(answer);
      } else {
        printLine("saved config " + answer.path("id").asText(answer.path("config").path("id").asText()));
      }
      return 0;
    }
  }

  @Command(name = "export", description = "A config as a JSON file (secrets read \"(set)\").")
  public static final class Export extends ApiCommand {
    @Parameters(paramLabel = "CONFIG", description = "The config id.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
    Path output;

    @Override
    public Integer call() throws IOException {
      String body = api().text("GET", "/api/v1/recorder/configs/" + Api.encode(id) + "/export", null);
      if (output == null) {
        out().println(body);
        out().flush();
      } else {
        Files.writeString(output, body);
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a saved config.")
  public static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "CONFIG", description = "The config id.")
    String id;

    @Override
    public Integer call() {
      JsonNode answer = api().delete("/api/v1/recorder/configs/" + Api.encode(id));
      if (json()) {
        printJson(answer);
      } else {
        printLine("deleted config " + id);
      }
      return 0;
    }
  }
}
