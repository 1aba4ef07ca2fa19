package dev.tapedeck.control.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One session replay, run in the background: its progress while it runs, then its summary and
 * per-entry results. Thread-safe.
 */
final class ReplayJob {
  final String id;
  final String sessionId;
  final String ownerId;
  final Instant startedAt;
  private final String targetUrl;
  private final int concurrency;
  private String status = "running";
  private int total;
  private int correlations;
  private Instant finishedAt;
  private String error;
  private final List<EntryResult> results = new ArrayList<>();

  ReplayJob(String id, String sessionId, String ownerId, String targetUrl, int concurrency, Instant startedAt) {
    this.id = id;
    this.sessionId = sessionId;
    this.ownerId = ownerId;
    this.targetUrl = targetUrl;
    this.concurrency = concurrency;
    this.startedAt = startedAt;
  }

  synchronized void planned(int entries, int correlationsFound) {
    this.total = entries;
    this.correlations = correlationsFound;
  }

  synchronized void add(EntryResult result) {
    results.add(result);
  }

  synchronized void finish(Instant at, String failure) {
    status = failure == null ? "done" : "failed";
    error = failure;
    finishedAt = at;
    results.sort(Comparator.comparingLong(EntryResult::sequence));
  }

  synchronized boolean running() {
    return status.equals("running");
  }

  synchronized Instant finishedAt() {
    return finishedAt;
  }

  /** Progress: entries done of the total (0 until the entries are counted). */
  public record Progress(int done, int total) {}

  /**
   * The job as the API shows it; {@code verdict} is {@code passed} when every replayed entry
   * matched (skipped entries aside) and at least one was replayed, {@code failed} otherwise, null
   * while running.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record View(
      String id,
      String sessionId,
      String status,
      String verdict,
      Progress progress,
      int total,
      int matched,
      int mismatched,
      int failed,
      int skipped,
      int correlationsUsed,
      String targetUrl,
      int concurrency,
      String startedAt,
      String finishedAt,
      String error,
      List<EntryResult> results) {}

  synchronized View view(boolean withResults) {
    int matched = count(EntryResult.MATCHED);
    int mismatched = count(EntryResult.MISMATCHED);
    int failed = count(EntryResult.FAILED);
    int skipped = count(EntryResult.SKIPPED);
    String verdict =
        status.equals("running")
            ? null
            : status.equals("done") && mismatched == 0 && failed == 0 && matched > 0 ? "passed" : "failed";
    return new View(
        id, sessionId, status, verdict, new Progress(results.size(), total), total, matched, mismatched, failed,
        skipped, correlations, targetUrl, concurrency, startedAt.toString(),
        finishedAt == null ? null : finishedAt.toString(), error,
        withResults ? List.copyOf(results) : null);
  }

  private int count(String outcome) {
    return (int) results.stream().filter(r -> r.outcome().equals(outcome)).count();
  }
}
