package dev.tapedeck.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.api.ApiException;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Waits until a stopped session's captures are stored. The API tells how many entries storage holds
 * ({@code entryCount} of {@code GET /api/v1/recorder/{id}}) but not how many the proxies captured:
 * captures travel through Kafka and appear in storage moments after their exchange. Once the session
 * is stopped no capture is added, so the count is taken as final when it has not changed for {@code
 * settle} (and storage answered), or when {@code timeout} has passed.
 */
public final class StoredWait {
  private static final Duration POLL = Duration.ofMillis(200);

  private StoredWait() {}

  /** The outcome: the entries stored, and whether the count settled before the timeout. */
  public record Result(long stored, boolean settled) {}

  /**
   * Polls session {@code id} until its entry count settles.
   *
   * @param progress told each new count
   */
  public static Result await(Api api, String id, Duration settle, Duration timeout, LongConsumer progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    long changedAt = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      Long count = count(api, id);
      if (count != null && count != last) {
        last = count;
        changedAt = now;
        progress.accept(count);
      } else if (count != null && now - changedAt >= settle.toNanos()) {
        return new Result(last, true);
      }
      if (now >= deadline) {
        return new Result(Math.max(last, 0), false);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The session's stored entries, or null when storage did not answer. */
  private static Long count(Api api, String id) {
    try {
      JsonNode session = api.get("/api/v1/recorder/" + Api.encode(id)).path("session");
      return session.hasNonNull("entryCount") ? session.get("entryCount").asLong() : null;
    } catch (ApiException e) {
      if (e.status() == 0 || e.status() >= 500) {
        return null; // control or storage away for a moment: keep waiting until the timeout
      }
      throw e;
    }
  }
}
