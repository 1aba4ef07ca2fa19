package dev.tapedeck.cli.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tapedeck replay SESSION}: {@code POST /api/v1/recorder/{id}/replay} with the flags as its
 * body, printing the summary. Needs a server that has the replay endpoint (docs/cli.md).
 */
@Command(name = "replay", description = "Replay a session's requests against their origin or --target, with a match/mismatch summary (needs a server with the replay endpoint).")
public final class ReplayCommand extends ApiCommand {
  @Parameters(paramLabel = "SESSION", description = "The session id.")
  String id;

  @Option(names = "--target", paramLabel = "URL", description = "Send to this base URL instead of the recorded origin (targetUrl).")
  String target;

  @Option(names = "--entries", paramLabel = "ENTRY", split = ",", description = "Only these entry ids (entryIds).")
  List<String> entries = new ArrayList<>();

  @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once (concurrency).")
  Integer concurrency;

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Per-request timeout (timeoutSeconds).")
  Integer timeoutSeconds;

  @Option(names = "--follow-redirects", description = "Follow redirects (followRedirects).")
  boolean followRedirects;

  @Mixin JsonBody data;

  @Override
  public Integer call() {
    ObjectNode body = data.body();
    if (target != null) body.put("targetUrl", target);
    if (!entries.isEmpty()) entries.forEach(body.putArray("entryIds")::add);
    if (concurrency != null) body.put("concurrency", concurrency);
    if (timeoutSeconds != null) body.put("timeoutSeconds", timeoutSeconds);
    if (followRedirects) body.put("followRedirects", true);
    JsonNode answer = api().post("/api/v1/recorder/" + Api.encode(id) + "/replay", body);
    if (json()) {
      printJson(answer);
      return 0;
    }
    JsonNode summary = answer.has("summary") ? answer.get("summary") : answer;
    StringBuilder line = new StringBuilder();
    for (String field : List.of("total", "matched", "mismatched", "failed", "skipped")) {
      if (summary.has(field)) {
        line.append(line.isEmpty() ? "" : "  ").append(field).append('=').append(summary.get(field).asText());
      }
    }
    if (line.isEmpty()) {
      printJson(answer);
    } else {
      printLine(line.toString());
    }
    return 0;
  }
}
