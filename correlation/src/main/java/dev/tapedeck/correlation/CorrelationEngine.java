package dev.tapedeck.correlation;

import dev.tapedeck.correlation.Correlation.Source;
import dev.tapedeck.correlation.Correlation.Target;
import dev.tapedeck.correlation.RequestValues.Sent;
import dev.tapedeck.correlation.ResponseValues.Found;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deterministic correlation engine: fed a session's exchanges in recorded order, it finds the
 * values a response handed out (JSON, headers, Set-Cookie) that a later request sends back (URL,
 * query, headers, cookies, JSON or form body). Values are matched whole, never as substrings, so
 * a value is found where the request carries it as a field, a path segment, a cookie or a word of
 * a header ({@code Bearer <token>}).
 *
 * <p>Steps, for each exchange {@link #observe observed}:
 *
 * <ol>
 *   <li>every value its request sends is looked up among the values earlier responses handed out;
 *       a hit adds a target to that value's correlation (at most {@code maxCorrelationsPerSource}
 *       correlations per source entry, {@value #MAX_TARGETS} targets each);
 *   <li>then the values its own response hands out become candidates, the first response to hand
 *       out a value being its source (at most {@value #MAX_CANDIDATES} candidates in all).
 * </ol>
 *
 * Memory is bounded by those caps, whatever the session's length, so exports can stream.
 */
public final class CorrelationEngine {
  static final int MAX_CANDIDATES = 50_000;
  static final int MAX_TARGETS = 200;

  private final CorrelationOptions options;
  private final Map<String, Source> candidates = new HashMap<>();
  private final Map<String, Building> found = new LinkedHashMap<>();
  private final Map<String, Integer> perSource = new HashMap<>();

  public CorrelationEngine(CorrelationOptions options) {
    this.options = options;
  }

  /** The correlations of {@code steps}, in recorded order. */
  public static List<Correlation> correlate(Iterable<Step> steps, CorrelationOptions options) {
    CorrelationEngine engine = new CorrelationEngine(options);
    steps.forEach(engine::observe);
    return engine.correlations();
  }

  /** Takes the next exchange in recorded order. */
  public void observe(Step step) {
    for (Sent sent : RequestValues.of(step)) {
      Source source = candidates.get(sent.value());
      if (source == null || source.entryId().equals(step.entryId())) {
        continue;
      }
      Building building = found.get(sent.value());
      if (building == null) {
        int count = perSource.getOrDefault(source.entryId(), 0);
        if (count >= options.maxCorrelationsPerSource()) {
          continue;
        }
        perSource.put(source.entryId(), count + 1);
        building = new Building(sent.value(), source);
        found.put(sent.value(), building);
      }
      if (building.targets.size() < MAX_TARGETS) {
        building.targets.add(sent.target());
      }
    }
    for (Found value : ResponseValues.of(step)) {
      if (candidates.size() >= MAX_CANDIDATES) {
        break;
      }
      if (eligible(value.value())) {
        candidates.putIfAbsent(value.value(), value.source());
      }
    }
  }

  private boolean eligible(String value) {
    if (value.length() < options.minValueLength()) {
      return false;
    }
    if (options.excludeNumeric() && ValueTypes.numeric(value)) {
      return false;
    }
    return !value.equals("true") && !value.equals("false") && !value.equals("null");
  }

  /** What was found so far, in the order the values were first sent back. */
  public List<Correlation> correlations() {
    List<Correlation> out = new ArrayList<>();
    Set<String> variables = new HashSet<>();
    int n = 0;
    for (Building b : found.values()) {
      n++;
      String type = ValueTypes.of(b.value);
      out.add(
          new Correlation(
              "c" + n,
              Variables.unique(Variables.of(b.source), variables),
              b.value,
              type,
              b.source,
              List.copyOf(b.targets),
              Confidence.of(b.value, type, b.source, b.targets)));
    }
    return out;
  }

  private static final class Building {
    final String value;
    final Source source;
    final Set<Target> targets = new LinkedHashSet<>();

    Building(String value, Source source) {
      this.value = value;
      this.source = source;
    }
  }
}
