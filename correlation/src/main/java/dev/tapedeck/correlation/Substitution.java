package dev.tapedeck.correlation;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded values and the values a new run handed out in their place; applied to the text of a
 * later request (URL, header values, body), longest recorded value first so a value that contains
 * another is replaced whole. Not thread-safe.
 */
public final class Substitution {
  private final Map<String, String> fresh = new LinkedHashMap<>();

  /** Use {@code now} wherever {@code recorded} was sent. */
  public void put(String recorded, String now) {
    if (recorded != null && !recorded.isEmpty() && now != null) {
      fresh.put(recorded, now);
    }
  }

  /** Whether nothing is substituted. */
  public boolean isEmpty() {
    return fresh.isEmpty();
  }

  /** {@code text} with every recorded value replaced by its new value (null stays null). */
  public String apply(String text) {
    if (text == null || fresh.isEmpty()) {
      return text;
    }
    List<Map.Entry<String, String>> byLength =
        fresh.entrySet().stream()
            .filter(e -> !e.getKey().equals(e.getValue()))
            .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
            .toList();
    String out = text;
    for (Map.Entry<String, String> e : byLength) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The values replaced so far: recorded to new. */
  public Map<String, String> values() {
    return Map.copyOf(fresh);
  }
}
