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
 * {@code tapedeck replay SESSION}: starts a session replay ({@code POST
 * /api/v1/recorder/{id}/replay}, a background job), follows the job until it is done, prints its
 * summary and the entries that did not match, and exits 0 when the verdict is {@code passed}, 1
 * otherwise, so a CI step can gate on it. {@code --no-wait} prints the job as started.
 */
@Command(name = "replay", description = "Replay a session's requests against their origin or --target; waits for the result, prints the summary and exits 1 unless the verdict is passed.")
public final class ReplayCommand extends ApiCommand {
  @Parameters(paramLabel = "SESSION", description = "The session id.")
  String id;

  @Option(names = "--target", paramLabel = "URL", description = "Send to this base URL instead of the recorded origin (targetUrl).")
  String target;

  @Option(names = "--entries", paramLabel = "ENTRY", split = ",", description = "Only these entry ids (entries).")
  List<String> entries = new ArrayList<>();

  @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once (concurrency).")
  Integer concurrency;

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Per-request timeout (timeoutSeconds).")
  Integer timeoutSeconds;

  @Option(names = "--follow-redirects", description = "Follow redirects (followRedirects).")
  boolean followRedirects;

  @Option(names = "--no-wait", description = "Print the started job and return at once.")
  boolean noWait;

  @Option(names = "--wait-seconds", paramLabel = "S", defaultValue = "600", description = "Give up following the job after S seconds (default ${DEFAULT-VALUE}); exit 1.")
  int waitSeconds;

  @Mixin JsonBody data;

  @Override
  public Integer call() {
    ObjectNode body = data.body();
    if (target != null) body.put("targetUrl", target);
    if (!entries.isEmpty()) entries.forEach(body.putArray("entries")::add);
    if (concurrency != null) body.put("concurrency", concurrency);
    if (timeoutSeconds != null) body.put("timeoutSeconds", timeoutSeconds);
    if (followRedirects) body.put("followRedirects", true);
    String jobs = "/api/v1/recorder/" + Api.encode(id) + "/replay";
    JsonNode job = api().post(jobs, body);
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (!noWait && "running".equals(job.path("status").asText()) && System.nanoTime() < deadline) {
      sleep();
      job = api().get(jobs + "/" + Api.encode(job.path("id").asText()));
    }
    if (json()) {
      printJson(job);
    } else {
      print(job);
    }
    if (noWait) {
      return 0;
    }
    return "passed".equals(job.path("verdict").asText()) ? 0 : 1;
  }

  private void print(JsonNode job) {
    StringBuilder line = new StringBuilder("replay " + job.path("id").asText() + ": " + job.path("status").asText());
    if (job.hasNonNull("verdict")) {
      line.append(", verdict ").append(job.path("verdict").asText());
    }
    for (String field : List.of("total", "matched", "mismatched", "failed", "skipped")) {
      line.append("  ").append(field).append('=').append(job.path(field).asText());
    }
    printLine(line.toString());
    for (JsonNode r : job.path("results")) {
      String outcome = r.path("outcome").asText();
      if (outcome.equals("matched")) {
        continue;
      }
      printLine("  " + outcome + " " + r.path("method").asText() + " " + r.path("url").asText()
          + (r.hasNonNull("error") ? ": " + r.path("error").asText() : "")
          + (r.hasNonNull("reason") ? ": " + r.path("reason").asText() : ""));
      for (JsonNode d : r.path("differences")) {
        printLine("    " + d.path("text").asText());
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following the replay", e);
    }
  }
}
