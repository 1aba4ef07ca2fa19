package dev.tapedeck.cli.entries;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tapedeck entries SESSION [--follow]}: a session's entries as a table (or the API's JSON),
 * and with {@code --follow} each entry as it is stored, from the session's live stream (server-sent
 * events at {@code /api/v1/recorder/{id}/events}) until Ctrl+C or the stream ends.
 */
@Command(name = "entries", description = "List a session's entries; --follow prints each new one as it is stored.")
public final class EntriesCommand extends ApiCommand {
  static final String FORMAT = "%-6s %-7s %-6s %9s  %s";

  @Parameters(paramLabel = "SESSION", description = "The session id.")
  String id;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries (1-1000, default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip N entries.")
  int offset;

  @Option(names = "--newest", description = "Newest first.")
  boolean newest;

  @Option(names = {"-f", "--follow"}, description = "Then print each entry as it is stored (one JSON line each with --json).")
  boolean follow;

  @Override
  public Integer call() throws IOException {
    String session = Api.encode(id);
    Stream<String> live = null;
    if (follow) {
      // Subscribe before listing, so nothing stored in between is missed; the list deduplicates.
      live = api().lines("/api/v1/recorder/" + session + "/events");
    }
    try {
      JsonNode page =
          api().get("/api/v1/recorder/" + session + "/entries?offset=" + offset + "&limit=" + limit
              + "&order=" + (newest ? "newest" : "oldest"));
      Set<String> shown = new HashSet<>();
      if (json() && !follow) {
        printJson(page);
        return 0;
      }
      if (!json()) {
        Table table = new Table("SEQ", "METHOD", "STATUS", "TIME", "URL");
        for (JsonNode entry : page.path("entries")) {
          shown.add(entry.path("id").asText());
          table.row(row(entry));
        }
        if (!follow || !table.isEmpty()) {
          table.print(out());
        }
        if (!follow) {
          err().printf("%d of %d entries%n", page.path("entries").size(), page.path("total").asLong());
          err().flush();
          return 0;
        }
      } else {
        for (JsonNode entry : page.path("entries")) {
          shown.add(entry.path("id").asText());
          // the live stream's shape, so a script reads one kind of line
          out().println(Api.JSON.writeValueAsString(Api.JSON.createObjectNode().put("type", "entry").set("entry", entry)));
        }
        out().flush();
      }
      err().println("following session " + id + " (Ctrl+C to stop)");
      err().flush();
      return followLive(live, shown);
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }

  private int followLive(Stream<String> live, Set<String> shown) throws IOException {
    Iterator<String> lines = live.iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.startsWith("data:")) {
        continue;
      }
      JsonNode message = Api.JSON.readTree(line.substring(5).trim());
      if ("closed".equals(message.path("type").asText())) {
        err().println("tapedeck: the live stream was closed: " + message.path("message").asText(message.path("reason").asText()));
        err().flush();
        return 1;
      }
      JsonNode entry = message.path("entry");
      String entryId = entry.path("id").asText();
      if (json()) {
        out().println(Api.JSON.writeValueAsString(message));
      } else if (!entryId.equals("__evict__") && shown.add(entryId)) {
        String[] cells = row(entry);
        out().println(String.format(FORMAT, (Object[]) cells).stripTrailing());
      }
      out().flush();
    }
    err().println("the live stream ended");
    err().flush();
    return 0;
  }

  /** An entry's cells: full entries and live summaries have the same fields for these. */
  static String[] row(JsonNode entry) {
    JsonNode request = entry.path("request");
    JsonNode response = entry.path("response");
    String status = response.hasNonNull("statusCode") ? response.path("statusCode").asText() : entry.hasNonNull("error") ? "ERR" : "-";
    String time = entry.hasNonNull("durationMs") ? String.format("%.1fms", entry.path("durationMs").asDouble()) : "-";
    return new String[] {
      entry.path("sequence").asText("-"), request.path("method").asText("-"), status, time, request.path("url").asText("-")
    };
  }
}
