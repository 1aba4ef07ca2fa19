package dev.tapedeck.policy.mock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mocks of one user's namespace, ordered as they are tried: priority (1 first), then id. A
 * request is matched in memory: the mocks of its method (and those for any method) are tried in
 * order, the first whose conditions hold and whose scenario is in the state it requires answers.
 * Immutable: a change builds a new set.
 */
public final class MockSet {
  /** No mocks. */
  public static final MockSet EMPTY = new MockSet(List.of());

  private static final Comparator<CompiledMock> ORDER =
      Comparator.comparingInt(CompiledMock::priority).thenComparing(CompiledMock::id);

  private final List<CompiledMock> all;
  private final Map<String, List<CompiledMock>> byMethod = new HashMap<>();
  private final List<CompiledMock> anyMethod;

  public MockSet(List<CompiledMock> mocks) {
    List<CompiledMock> sorted = new ArrayList<>(mocks);
    sorted.sort(ORDER);
    this.all = List.copyOf(sorted);
    List<CompiledMock> any = new ArrayList<>();
    for (CompiledMock m : all) {
      if (!m.enabled()) {
        continue;
      }
      if (m.method() == null) {
        any.add(m);
      }
    }
    for (CompiledMock m : all) {
      if (m.enabled() && m.method() != null) {
        byMethod.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
      }
    }
    // Mocks for any method join each method's list in their place.
    for (Map.Entry<String, List<CompiledMock>> e : byMethod.entrySet()) {
      e.getValue().addAll(any);
      e.getValue().sort(ORDER);
    }
    this.anyMethod = List.copyOf(any);
  }

  public List<CompiledMock> mocks() {
    return all;
  }

  public int size() {
    return all.size();
  }

  /**
   * The first mock that answers {@code r}, moving its scenario on; null when none does. With
   * {@code withBody} false (Map Local, which decides on the head) body conditions are not
   * evaluated.
   */
  public CompiledMock match(MockRequest r, ScenarioStates states, boolean withBody) {
    List<CompiledMock> candidates = byMethod.getOrDefault(r.method(), anyMethod);
    for (CompiledMock m : candidates) {
      if (!m.matchesHead(r) || (withBody && !m.matchesBody(r))) {
        continue;
      }
      if (m.scenario() == null) {
        return m;
      }
      synchronized (states) {
        String state = states.state(m.scenario());
        if (m.requiredState() == null || m.requiredState().equals(state)) {
          if (m.newState() != null) {
            states.move(m.scenario(), m.newState());
          }
          return m;
        }
      }
    }
    return null;
  }

  /** A mock near a request, with why it did not answer. */
  public record Near(CompiledMock mock, List<Mismatch> mismatches) {}

  /** Up to {@code n} enabled mocks with the fewest differences from {@code r}, closest first. */
  public List<Near> closest(MockRequest r, int n) {
    List<Near> near = new ArrayList<>();
    for (CompiledMock m : all) {
      if (m.enabled()) {
        near.add(new Near(m, m.mismatches(r)));
      }
    }
    near.sort(Comparator.comparingInt((Near x) -> weight(x.mismatches())).thenComparing(x -> x.mock().priority()));
    return near.subList(0, Math.min(n, near.size()));
  }

  private static int weight(List<Mismatch> mismatches) {
    int w = 0;
    for (Mismatch m : mismatches) {
      w += switch (m.field()) {
        case "path" -> 4;
        case "method" -> 3;
        default -> 1;
      };
    }
    return w;
  }
}
