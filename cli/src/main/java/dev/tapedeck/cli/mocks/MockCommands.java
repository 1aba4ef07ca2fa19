package dev.tapedeck.cli.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tapedeck mocks [generate | export | delete]}: the mock store playback and Map Local read. */
@Command(
    name = "mocks",
    description = "Mocks in Tapedeck's store (served in playback and Map Local). Lists them without a subcommand.",
    subcommands = {MockCommands.Generate.class, MockCommands.Export.class, MockCommands.Delete.class})
public final class MockCommands extends ApiCommand {
  @Option(names = "--namespace", paramLabel = "NS", description = "Only this namespace.")
  String namespace;

  @Override
  public Integer call() {
    JsonNode answer = api().get("/api/v1/mocks" + (namespace == null ? "" : "?namespace=" + Api.encode(namespace)));
    if (json()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table("ID", "NAMESPACE", "METHOD", "URL", "ENABLED", "SESSION");
    for (JsonNode m : answer.path("mocks")) {
      JsonNode request = m.path("definition").path("request");
      String url = request.hasNonNull("url") ? request.get("url").asText()
          : request.hasNonNull("urlPath") ? request.get("urlPath").asText()
          : request.hasNonNull("urlPathPattern") ? request.get("urlPathPattern").asText()
          : request.hasNonNull("urlPathTemplate") ? request.get("urlPathTemplate").asText()
          : request.path("urlPattern").asText(null);
      table.row(text(m, "id"), text(m, "namespace"), request.path("method").asText(null), url, text(m, "enabled"), text(m, "sessionId"));
    }
    table.print(out());
    return 0;
  }

  @Command(name = "generate", description = "Turn a session's entries into mocks (WireMock stub mappings) in the store.")
  public static final class Generate extends ApiCommand {
    @Parameters(paramLabel = "SESSION", description = "The session id.")
    String id;

    @Option(names = "--namespace", paramLabel = "NS", description = "Where the mocks go (default: the session's namespace).")
    String namespace;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "A prefix for the mock ids.")
    String prefix;

    @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "Tags for the mocks.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--entry", paramLabel = "ENTRY", split = ",", description = "Only these entry ids.")
    List<String> entryIds = new ArrayList<>();

    @Option(names = "--priority", paramLabel = "1-100", description = "The mocks' priority (default 5).")
    Integer priority;

    @Option(names = "--force-update", description = "Replace mocks with the same id (otherwise they are skipped).")
    boolean forceUpdate;

    @Option(names = "--smart-match", description = "Ids in paths become parameters.")
    boolean smartMatch;

    @Option(names = "--duplicates", paramLabel = "first|last|all", description = "Which recordings of the same request to keep.")
    String duplicates;

    @Override
    public Integer call() {
      ObjectNode body = Api.JSON.createObjectNode();
      if (namespace != null) body.put("namespace", namespace);
      if (prefix != null) body.put("prefix", prefix);
      if (!tags.isEmpty()) tags.forEach(body.putArray("tags")::add);
      if (!entryIds.isEmpty()) entryIds.forEach(body.putArray("entryIds")::add);
      if (priority != null) body.put("priority", priority);
      if (forceUpdate) body.put("forceUpdate", true);
      if (smartMatch) body.put("smartMatch", true);
      if (duplicates != null) body.put("duplicates", duplicates);
      JsonNode answer = api().post("/api/v1/recorder/" + Api.encode(id) + "/mocks", body);
      if (json()) {
        printJson(answer);
      } else {
        printLine("created " + answer.path("created").asInt() + ", updated " + answer.path("updated").asInt()
            + ", skipped " + answer.path("skipped").asInt());
      }
      return 0;
    }
  }

  @Command(name = "export", description = "The mocks as a WireMock mappings file ({\"mappings\": [...]}).")
  public static final class Export extends ApiCommand {
    @Option(names = "--namespace", paramLabel = "NS", description = "Only this namespace.")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
    Path output;

    @Override
    public Integer call() {
      String path = "/api/v1/mocks/export" + (namespace == null ? "" : "?namespace=" + Api.encode(namespace));
      if (output == null) {
        out().println(api().text("GET", path, null));
        out().flush();
      } else {
        api().download("GET", path, null, output);
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete mocks.")
  public static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "MOCK", arity = "1..*", description = "The mock ids.")
    List<String> ids;

    @Override
    public Integer call() {
      for (String mockId : ids) {
        api().delete("/api/v1/mocks/" + Api.encode(mockId));
        if (!json()) {
          printLine("deleted mock " + mockId);
        }
      }
      return 0;
    }
  }
}
