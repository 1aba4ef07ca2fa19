package dev.tapedeck.correlation;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's options, as Mockarty's {@code /correlate} takes them.
 *
 * @param minValueLength values shorter than this are never correlated (1-{@value #MAX_MIN_LENGTH})
 * @param excludeNumeric skip values made only of digits
 * @param maxCorrelationsPerSource at most this many correlations from one entry's response
 *     (1-{@value #MAX_PER_SOURCE})
 */
public record CorrelationOptions(int minValueLength, boolean excludeNumeric, int maxCorrelationsPerSource) {
  public static final int DEFAULT_MIN_LENGTH = 6;
  public static final int MAX_MIN_LENGTH = 256;
  public static final int DEFAULT_PER_SOURCE = 50;
  public static final int MAX_PER_SOURCE = 500;

  /** The defaults: values of 6 characters or more, numbers included, 50 per source. */
  public static final CorrelationOptions DEFAULTS =
      new CorrelationOptions(DEFAULT_MIN_LENGTH, false, DEFAULT_PER_SOURCE);

  /** Options from nullable request fields, defaults filled in. */
  public static CorrelationOptions of(Integer minValueLength, Boolean excludeNumeric, Integer maxPerSource) {
    return new CorrelationOptions(
        minValueLength == null ? DEFAULT_MIN_LENGTH : minValueLength,
        excludeNumeric != null && excludeNumeric,
        maxPerSource == null ? DEFAULT_PER_SOURCE : maxPerSource);
  }

  /** A field at fault and why. */
  public record Problem(String field, String message) {}

  /** Every field out of range; empty when the options are usable. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    if (minValueLength < 1 || minValueLength > MAX_MIN_LENGTH) {
      out.add(new Problem("minValueLength", "must be between 1 and " + MAX_MIN_LENGTH));
    }
    if (maxCorrelationsPerSource < 1 || maxCorrelationsPerSource > MAX_PER_SOURCE) {
      out.add(new Problem("maxCorrelationsPerSource", "must be between 1 and " + MAX_PER_SOURCE));
    }
    return out;
  }
}
