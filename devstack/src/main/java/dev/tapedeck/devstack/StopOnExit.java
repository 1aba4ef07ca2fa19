package dev.tapedeck.devstack;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a main class started, stopped in reverse order exactly once: from a JVM shutdown hook on
 * SIGTERM/SIGINT, or directly. Failures to stop one thing are printed and do not keep the rest
 * running.
 */
final class StopOnExit {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private boolean stopped;
  private volatile boolean exitRequested;

  /**
   * Registers the JVM shutdown hook that calls {@link #stopAll()}. With {@code exitZero}, the hook
   * then ends the JVM with status 0, so that being stopped by SIGTERM or Ctrl+C counts as a normal
   * exit rather than 143/130; use it only in main classes.
   */
  StopOnExit installHook(String threadName, boolean exitZero) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopAll();
                  if (exitZero && !exitRequested) {
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                  }
                },
                threadName));
    return this;
  }

  /** Stops everything and exits the JVM with {@code status}, which the hook then keeps. */
  void exit(int status) {
    exitRequested = true;
    System.exit(status);
  }

  /** Parks the calling (main) thread until the JVM exits. */
  static void blockForever() {
    try {
      new java.util.concurrent.CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Adds something to stop; returns it. If everything is already being stopped, stops it at once.
   */
  <T extends AutoCloseable> T add(T closeable) {
    boolean late;
    synchronized (this) {
      late = stopped;
      if (!late) {
        started.push(closeable);
      }
    }
    if (late) {
      closeQuietly(closeable);
    }
    return closeable;
  }

  /** Stops everything added, last first. */
  void stopAll() {
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        stopped = true;
        next = started.poll();
      }
      if (next == null) {
        return;
      }
      closeQuietly(next);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("[tapedeck] while stopping " + closeable + ": " + e);
    }
  }
}
