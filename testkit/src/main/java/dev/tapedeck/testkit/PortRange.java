package dev.tapedeck.testkit;

/**
 * An inclusive range of ports.
 *
 * @param min the first port
 * @param max the last port (inclusive)
 */
public record PortRange(int min, int max) {
  /** Checks {@code min <= max}. */
  public PortRange {
    if (min > max) {
      throw new IllegalArgumentException("empty port range " + min + "-" + max);
    }
  }

  /** Whether {@code port} is in the range. */
  public boolean contains(int port) {
    return port >= min && port <= max;
  }

  /** How many ports the range holds. */
  public int size() {
    return max - min + 1;
  }

  @Override
  public String toString() {
    return min + "-" + max;
  }
}
