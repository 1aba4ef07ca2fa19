package dev.tapedeck.testkit;

import dev.tapedeck.devstack.LoopbackPorts;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports on 127.0.0.1 for tests. */
public final class Ports {
  private static final int BLOCK_LOW = 20000;
  private static final int BLOCK_HIGH = 60000;
  private static final int BLOCK_ATTEMPTS = 200;

  private Ports() {}

  /** A port that was free a moment ago (the OS picks it by binding port 0). */
  public static int free() {
    return LoopbackPorts.free();
  }

  /** Whether {@code port} can be bound on 127.0.0.1 right now. */
  public static boolean isFree(int port) {
    return LoopbackPorts.isFree(port);
  }

  /**
   * The first port of {@code size} consecutive ports, between 20000 and 60000, that are all free
   * right now; for a service that hands out ports from a window (the proxy's session ports).
   *
   * @throws IllegalStateException if no such block is found after a few hundred tries
   */
  public static PortRange freeBlock(int size) {
    if (size < 1 || size > 1000) {
      throw new IllegalArgumentException("block size must be 1..1000, got " + size);
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < BLOCK_ATTEMPTS; attempt++) {
      int min = random.nextInt(BLOCK_LOW, BLOCK_HIGH - size);
      if (allFree(min, size)) {
        return new PortRange(min, min + size - 1);
      }
    }
    throw new IllegalStateException(
        "No block of " + size + " free ports between " + BLOCK_LOW + " and " + BLOCK_HIGH);
  }

  private static boolean allFree(int min, int size) {
    for (int port = min; port < min + size; port++) {
      if (!isFree(port)) {
        return false;
      }
    }
    return true;
  }
}
