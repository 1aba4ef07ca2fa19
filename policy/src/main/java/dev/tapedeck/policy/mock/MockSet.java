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
 * Mocks whose URL condition names one path ({@code urlPath}, {@code url}) are indexed by it, so a
 * request is compared only with the mocks for its own path and those whose URL condition is a
 * pattern or template: a recording turned into thousands of mocks costs a lookup, not a scan.
 * Immutable: a change builds a new set.
 */
public final class MockSet {
  /** No mocks. */
  public static final MockSet EMPTY = new MockSet(List.of());

  private static final Comparator<CompiledMock> ORDER =
      Comparator.comparingInt(CompiledMock::priority).thenComparing(CompiledMock::id);

  private final List<CompiledMock> all;
  private final Map<String, Candidates> byMethod = new HashMap<>();
  private final Candidates anyMethod;

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
    Map<String, List<CompiledMock>> methods = new HashMap<>();
    for (CompiledMock m : all) {
      if (m.enabled() && m.method() != null) {
        methods.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
      }
    }
    // Mocks for any method join each method's list in their place.
    for (Map.Entry<String, List<CompiledMock>> e : methods.entrySet()) {
      e.getValue().addAll(any);
      e.getValue().sort(ORDER);
      byMethod.put(e.getKey(), Candidates.of(e.getValue()));
    }
    this.anyMethod = Candidates.of(any);
  }

  /**
   * The mocks one method may answer with, in order: by exact path, and the rest (patterns,
   * templates, any URL), each list in {@link #ORDER}.
   */
  private record Candidates(Map<String, List<CompiledMock>> byPath, List<CompiledMock> rest) {
    static Candidates of(List<CompiledMock> sorted) {
      Map<String, List<CompiledMock>> byPath = new HashMap<>();
      List<CompiledMock> rest = new ArrayList<>();
      for (CompiledMock m : sorted) {
        String path = m.exactPath();
        if (path == null) {
          rest.add(m);
        } else {
          byPath.computeIfAbsent(path, k -> new ArrayList<>()).add(m);
        }
      }
      return new Candidates(byPath, rest);
    }
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
    Candidates candidates = byMethod.getOrDefault(r.method(), anyMethod);
    List<CompiledMock> samePath = candidates.byPath().getOrDefault(r.path(), List.of());
    List<CompiledMock> rest = candidates.rest();
    // Both lists are in ORDER: walk them as one.
    int i = 0;
    int j = 0;
    while (i < samePath.size() || j < rest.size()) {
      CompiledMock m =
          j >= rest.size() || (i < samePath.size() && ORDER.compare(samePath.get(i), rest.get(j)) <= 0)
              ? samePath.get(i++)
              : rest.get(j++);
      if (answers(m, r, states, withBody)) {
        return m;
      }
    }
    return null;
  }

  /** Whether {@code m} answers {@code r}, moving its scenario on when it does. */
  private static boolean answers(CompiledMock m, MockRequest r, ScenarioStates states, boolean withBody) {
    if (!m.matchesHead(r) || (withBody && !m.matchesBody(r))) {
      return false;
    }
    if (m.scenario() == null) {
      return true;
    }
    synchronized (states) {
      String state = states.state(m.scenario());
      if (m.requiredState() == null || m.requiredState().equals(state)) {
        if (m.newState() != null) {
          states.move(m.scenario(), m.newState());
        }
        return true;
      }
      return false;
    }
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
