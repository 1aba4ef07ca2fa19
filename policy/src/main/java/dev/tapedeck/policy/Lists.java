package dev.tapedeck.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Null-tolerant immutable copies, so an absent JSON array reads as an empty list. */
final class Lists {
  private Lists() {}

  static <T> List<T> orEmpty(List<T> list) {
    // List.copyOf refuses null elements; the validator reports those, so keep them here.
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
