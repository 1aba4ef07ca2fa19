package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Global chaos, in mockd's {@code /chaos} shape, applied to every running session through the
 * same toxic engine as the sessions' own toxics.
 *
 * @param latency a delay uniform in [min, max] applied with a probability
 * @param errorRate errors with a probability, the status drawn from statusCodes (or defaultCode)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChaosSettings(Boolean enabled, Latency latency, ErrorRate errorRate) {

  public static final ChaosSettings OFF = new ChaosSettings(false, null, null);

  public boolean on() {
    return enabled != null && enabled;
  }

  /** Latency as Go durations ({@code "50ms"}, {@code "1.5s"}). */
  public record Latency(String min, String max, Double probability) {
    public double chance() {
      return probability == null ? 1 : probability;
    }
  }

  /** Error injection. */
  public record ErrorRate(Double probability, List<Integer> statusCodes, Integer defaultCode) {
    public double chance() {
      return probability == null ? 0 : probability;
    }

    /** The statuses to draw from: statusCodes, else defaultCode, else 500. */
    public List<Integer> statuses() {
      if (statusCodes != null && !statusCodes.isEmpty()) {
        return List.copyOf(statusCodes);
      }
      return List.of(defaultCode == null || defaultCode == 0 ? 500 : defaultCode);
    }
  }
}
