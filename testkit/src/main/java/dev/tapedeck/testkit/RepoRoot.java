package dev.tapedeck.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Tapedeck repository root, where the packaged services and the dev stack are. */
public final class RepoRoot {
  /** System property that names the root directly, skipping the search. */
  public static final String PROPERTY = "tapedeck.repo";

  private RepoRoot() {}

  /**
   * The {@code tapedeck.repo} system property if set; else the first folder, from {@code user.dir}
   * upwards, that holds both {@code mvnw} and {@code proto/}.
   *
   * @throws IllegalStateException if there is none
   */
  public static Path find() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return findFrom(Path.of(System.getProperty("user.dir")));
  }

  /** The first folder from {@code start} upwards holding {@code mvnw} and {@code proto/}. */
  public static Path findFrom(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("proto"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "Cannot find the Tapedeck repository root (a folder with mvnw and proto/) above "
            + start
            + "; set -D"
            + PROPERTY
            + "=DIR");
  }
}
