package dev.tapedeck.devstack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stops a child process the polite way first: SIGTERM, a grace period, then SIGKILL. */
final class ProcessStopper {
  private ProcessStopper() {}

  /** Returns once {@code process} has exited. */
  static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    boolean interrupted = false;
    try {
      if (!waitFor(process, grace)) {
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      interrupted = true;
      process.destroyForcibly();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean waitFor(Process process, Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
