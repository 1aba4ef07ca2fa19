package dev.tapedeck.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * Ports for the benchmark's child processes (nginx, the bare proxies), waiting until one listens,
 * and stopping one.
 */
final class ChildListeners {
  private ChildListeners() {}

  /** A loopback port free right now, for a child process to listen on. */
  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  /**
   * Whether {@code process} accepts connections on {@code port} within {@code limit}; false as soon
   * as it exits, or when the limit passes.
   */
  static boolean awaitListening(Process process, int port, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        new Socket("127.0.0.1", port).close();
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /** Stops {@code process} and waits for it to exit; an interrupt stops the wait and is kept. */
  static void stop(Process process) {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
