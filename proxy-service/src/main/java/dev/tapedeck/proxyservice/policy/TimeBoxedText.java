package dev.tapedeck.proxyservice.policy;

/**
 * A text whose reads fail once a deadline has passed. RE2/J reads its input through {@link
 * #charAt}, so a match over this text stops within about a hundred characters of the deadline: the
 * budget that keeps a user's rules from holding a thread (the event loop for URL rewrites, a
 * rewrite worker for bodies) longer than allowed. Linear time bounds the work by the text's length
 * and the pattern's size; this bounds it by the clock too.
 */
final class TimeBoxedText implements CharSequence {
  /** Thrown by a read after the deadline; carries no stack trace (it is a control signal). */
  static final class Expired extends RuntimeException {
    Expired() {
      super("the time budget for the rules is spent", null, false, false);
    }
  }

  private static final Expired EXPIRED = new Expired();

  private final String text;
  private final long deadlineNanos;
  private int reads;

  TimeBoxedText(String text, long deadlineNanos) {
    this.text = text;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public char charAt(int index) {
    if ((++reads & 127) == 0 && System.nanoTime() - deadlineNanos > 0) {
      throw EXPIRED;
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text;
  }
}
