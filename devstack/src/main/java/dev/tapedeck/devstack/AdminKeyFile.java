package dev.tapedeck.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the admin API key control-service writes to {@code <data>/admin-api-key} on its first
 * start.
 */
public final class AdminKeyFile {
  private AdminKeyFile() {}

  /** {@code <data>/admin-api-key}. */
  public static Path in(Path dataDir) {
    return dataDir.resolve("admin-api-key");
  }

  /**
   * The key in {@code file} (trimmed), waiting up to {@code wait} for the file to appear with
   * content; empty if it does not.
   */
  public static Optional<String> await(Path file, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<String> key = read(file);
      if (key.isPresent() || System.nanoTime() > deadline) {
        return key;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** The key in {@code file} now, if it is there and not empty. */
  public static Optional<String> read(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String key = Files.readString(file).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
      }
    } catch (IOException e) {
      // Not readable yet (being written, or permissions): same as absent.
    }
    return Optional.empty();
  }
}
