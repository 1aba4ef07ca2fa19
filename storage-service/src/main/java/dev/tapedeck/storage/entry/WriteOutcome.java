package dev.tapedeck.storage.entry;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.util.List;

/**
 * What writing a batch of exchanges did.
 *
 * @param stored the exchanges stored now, with their new sequence numbers, in batch order
 * @param duplicates how many exchanges were skipped as already stored (redelivered records, or
 *     exchanges published twice)
 * @param evicted the entries deleted to keep their sessions within the cap, oldest first
 * @param evictedAtOnce how many of {@code evicted} (and of {@code stored}) were evicted at once:
 *     never written, as the batch brought their session more new entries than the cap
 */
public record WriteOutcome(
    List<Stored> stored, int duplicates, List<EntryRef> evicted, int evictedAtOnce) {

  public WriteOutcome {
    stored = List.copyOf(stored);
    evicted = List.copyOf(evicted);
  }

  /**
   * An exchange stored now.
   *
   * @param exchange the exchange
   * @param sequence its position in the session
   * @param storedAtUnixMicros when it was written
   */
  public record Stored(CapturedExchange exchange, long sequence, long storedAtUnixMicros) {}
}
