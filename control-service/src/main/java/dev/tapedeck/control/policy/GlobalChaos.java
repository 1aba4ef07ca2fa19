package dev.tapedeck.control.policy;

import dev.tapedeck.policy.ChaosSettings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The global chaos settings (mockd's {@code /chaos}). They travel to the proxy pods inside every
 * running session's policies and run through the same toxic engine as the session's own toxics.
 * Kept in memory: a control-service restart turns chaos off again (stated in docs/policies.md).
 */
@ApplicationScoped
public class GlobalChaos {
  private volatile ChaosSettings current = ChaosSettings.OFF;

  public ChaosSettings current() {
    return current;
  }

  public void set(ChaosSettings settings) {
    current = settings;
  }
}
