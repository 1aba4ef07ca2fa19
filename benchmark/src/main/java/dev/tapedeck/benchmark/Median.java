package dev.tapedeck.benchmark;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Which of several runs a report gives: the middle one by some measure. */
final class Median {
  private Median() {}

  /**
   * The item whose {@code measure} is the median of {@code items}' (the lower middle one of an even
   * count), so that the row shows one real run and not a blend of two.
   */
  static <T> T of(List<T> items, ToDoubleFunction<T> measure) {
    List<T> sorted = items.stream().sorted(Comparator.comparingDouble(measure)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
