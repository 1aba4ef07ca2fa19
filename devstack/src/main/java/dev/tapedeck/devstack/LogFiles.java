package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The log files of the processes the dev stack starts: {@code <data>/logs/<name>.log}. */
public final class LogFiles {
  private LogFiles() {}

  /** {@code <data>/logs/<name>.log}, with the folder created. */
  public static Path of(Path dataDir, String name) {
    Path logs = dataDir.resolve("logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + logs, e);
    }
    return logs.resolve(name + ".log");
  }

  /**
   * Moves an existing log to {@code <name>.log.1} (replacing an older one), so each start begins a
   * fresh file and the previous run stays readable.
   */
  static void rotate(Path log) {
    try {
      if (Files.exists(log)) {
        Files.move(
            log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rotate " + log, e);
    }
  }
}
