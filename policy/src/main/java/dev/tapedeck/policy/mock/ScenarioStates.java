package dev.tapedeck.policy.mock;

import java.util.HashMap;
import java.util.Map;

/**
 * The state of each scenario (sequence) of one session: which of its recorded answers comes next.
 * Every scenario starts in {@link CompiledMock#STARTED}; {@link #reset} starts them all again.
 */
public final class ScenarioStates {
  private final Map<String, String> states = new HashMap<>();
  private long epoch;

  /** The state of {@code scenario}. Callers hold this object's lock. */
  String state(String scenario) {
    return states.getOrDefault(scenario, CompiledMock.STARTED);
  }

  void move(String scenario, String state) {
    states.put(scenario, state);
  }

  /** Starts every scenario again when {@code newEpoch} differs from the one last seen. */
  public synchronized void resetOnNewEpoch(long newEpoch) {
    if (newEpoch != epoch) {
      epoch = newEpoch;
      states.clear();
    }
  }

  /** Starts every scenario again. */
  public synchronized void reset() {
    states.clear();
  }
}
