package dev.tapedeck.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} a test moves by hand, for code that takes its time from an injected clock
 * (session expiry, retention): the test advances it past a deadline instead of waiting for it.
 * Thread-safe; in UTC.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** A clock at the current time, to the millisecond (as MongoDB keeps instants). */
  public static MutableClock atNow() {
    return new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  /** Moves the clock forward (or back, for a negative amount). */
  public synchronized void advance(Duration amount) {
    now = now.plus(amount);
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a MutableClock is in UTC");
  }
}
