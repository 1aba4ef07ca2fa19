package dev.tapedeck.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start}, {@code stop}, {@code restart}, {@code delete} and {@code sessions}. */
public final class SessionCommands {
  private SessionCommands() {}

  /** Prints one session: a line for people, the API's JSON with {@code --json}. */
  static void printSession(ApiCommand command, JsonNode answer, String proxyUrl) {
    if (command.jsonOutput()) {
      command.printJsonOut(answer);
      return;
    }
    JsonNode s = answer.path("session");
    StringBuilder line = new StringBuilder();
    line.append("session ").append(s.path("id").asText()).append(" (").append(s.path("name").asText()).append(") ")
        .append(s.path("status").asText()).append(": ").append(s.path("mode").asText());
    if (s.hasNonNull("targetUrl")) {
      line.append(" -> ").append(s.path("targetUrl").asText());
    }
    if (proxyUrl != null) {
      line.append(", proxy ").append(proxyUrl);
    }
    if (s.hasNonNull("entryCount")) {
      line.append(", ").append(s.path("entryCount").asLong()).append(" entries");
    }
    command.printLine(line.toString());
  }

  @Command(name = "start", description = "Start a recording session (reverse with --target, or --forward).")
  public static final class Start extends ApiCommand {
    @Mixin SessionOptions options;
    @Mixin ProxyAddress proxy;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    static final class Mode {
      @Option(names = "--target", paramLabel = "URL", description = "Reverse mode: forward every request to this base URL.")
      String target;

      @Option(names = "--forward", description = "Forward mode: an HTTP proxy for HTTP_PROXY/HTTPS_PROXY.")
      boolean forward;
    }

    @Option(names = "--mitm", description = "Forward mode: decrypt HTTPS with the Tapedeck CA (see `tapedeck ca env`).")
    boolean mitm;

    @Override
    public Integer call() {
      boolean forward = mode != null && mode.forward || mitm;
      ObjectNode body = options.body(forward ? "forward" : null, mitm);
      if (mode != null && mode.target != null) {
        body.put("targetUrl", mode.target);
        if (!body.has("mode")) {
          body.put("mode", "reverse");
        }
      }
      JsonNode answer = api().post("/api/v1/recorder/start", body);
      printSession(this, answer, proxy.url(cli().env(), api().baseUrl(), answer.path("session").path("listenPort").asInt()));
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop a session: its port closes, its entries stay.")
  public static final class Stop extends ApiCommand {
    @Parameters(paramLabel = "SESSION", description = "The session id.")
    String id;

    @Override
    public Integer call() {
      printSession(this, api().post("/api/v1/recorder/" + Api.encode(id) + "/stop", null), null);
      return 0;
    }
  }

  @Command(name = "restart", description = "Run a stopped session again with the same config.")
  public static final class Restart extends ApiCommand {
    @Parameters(paramLabel = "SESSION", description = "The session id.")
    String id;

    @Mixin ProxyAddress proxy;

    @Override
    public Integer call() {
      JsonNode answer = api().post("/api/v1/recorder/" + Api.encode(id) + "/restart", null);
      printSession(this, answer, proxy.url(cli().env(), api().baseUrl(), answer.path("session").path("listenPort").asInt()));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a session and its entries.")
  public static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "SESSION", arity = "1..*", description = "The session ids.")
    java.util.List<String> ids;

    @Override
    public Integer call() {
      for (String id : ids) {
        JsonNode answer = api().delete("/api/v1/recorder/" + Api.encode(id));
        if (jsonOutput()) {
          printJsonOut(answer);
        } else {
          printLine("deleted session " + id + " (" + answer.path("entriesDeleted").asLong() + " entries)");
        }
      }
      return 0;
    }
  }

  @Command(name = "sessions", description = "List the sessions you can see, newest first.")
  public static final class Sessions extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode answer = api().get("/api/v1/recorder/sessions");
      if (jsonOutput()) {
        printJsonOut(answer);
        return 0;
      }
      Table table = new Table("ID", "NAME", "MODE", "PORT", "STATUS", "ENTRIES", "CREATED");
      for (JsonNode s : answer.path("sessions")) {
        table.row(
            text(s, "id"), text(s, "name"), text(s, "mode"), text(s, "listenPort"), text(s, "status"),
            text(s, "entryCount"), text(s, "createdAt"));
      }
      table.print(out());
      return 0;
    }
  }
}
