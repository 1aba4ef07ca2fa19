package dev.tapedeck.storage.ingest;

import java.time.Duration;

/** Waits that double after each failure, up to a maximum, and start over after a success. */
final class Backoff {

  private final Duration first;
  private final Duration max;
  private Duration next;

  Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** The wait before the next attempt. */
  Duration next() {
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }

  /** Starts over from the first wait. */
  void reset() {
    next = first;
  }
}
