package dev.tapedeck.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.api.ApiException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Waits until a stopped session's captures are stored, in two steps.
 *
 * <ol>
 *   <li>{@code GET /api/v1/recorder/{id}/ingestion?wait=} until storage has stored every capture of
 *       the session that is in Kafka: exact, however far behind storage is.
 *   <li>Then, for a capture a proxy was still handing to Kafka as the session stopped: the entry
 *       count ({@code entryCount} of {@code GET /api/v1/recorder/{id}}) is taken as final when it
 *       has not changed for {@code settle} (and storage answered).
 * </ol>
 *
 * Both end when {@code timeout} has passed.
 */
public final class StoredWait {
  private static final Duration POLL = Duration.ofMillis(200);

  /** The longest wait one ingestion call asks for: well under the client's 120 s call timeout. */
  private static final long MAX_WAIT_SECONDS = 100;

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
    ingested(api, id, deadline);
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

  /**
   * Waits until storage has caught up with what is in Kafka for the session, or the deadline; a
   * control-service without the call (404) skips this step.
   */
  private static void ingested(Api api, String id, long deadline) throws InterruptedException {
    while (true) {
      long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
      if (left < 1) {
        return;
      }
      try {
        String path =
            "/api/v1/recorder/" + Api.encode(id) + "/ingestion?wait=" + Math.min(left, MAX_WAIT_SECONDS);
        if (api.get(path).path("caughtUp").asBoolean()) {
          return;
        }
      } catch (ApiException e) {
        if (e.status() == 404) {
          return;
        }
        if (!awayForAMoment(e)) {
          throw e;
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  /** The session's stored entries, or null when storage did not answer. */
  private static Long count(Api api, String id) {
    try {
      JsonNode session = api.get("/api/v1/recorder/" + Api.encode(id)).path("session");
      return session.hasNonNull("entryCount") ? session.get("entryCount").asLong() : null;
    } catch (ApiException e) {
      if (awayForAMoment(e)) {
        return null; // keep waiting until the timeout
      }
      throw e;
    }
  }

  /** No answer, or a 5xx: control, storage or Kafka away for a moment, worth asking again. */
  private static boolean awayForAMoment(ApiException e) {
    return e.status() == 0 || e.status() >= 500;
  }
}
