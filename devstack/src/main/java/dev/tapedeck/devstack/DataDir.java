package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where Tapedeck keeps its data on this machine: the same rule the services apply.
 *
 * <ol>
 *   <li>the system property {@code tapedeck.data-dir}, if set;
 *   <li>else the environment variable {@code TAPEDECK_DATA_DIR}, if set;
 *   <li>else {@code ${XDG_DATA_HOME:-~/.local/share}/tapedeck}.
 * </ol>
 *
 * <p>The system property wins over the environment, as it does in Quarkus configuration.
 */
public final class DataDir {
  /** System property naming the data folder. */
  public static final String PROPERTY = "tapedeck.data-dir";

  /** Environment variable naming the data folder. */
  public static final String ENV = "TAPEDECK_DATA_DIR";

  private DataDir() {}

  /** Resolves the data folder for this process and creates it if missing. */
  public static Path resolveAndCreate() {
    return create(resolve(System.getenv(), System.getProperties()));
  }

  /**
   * Resolves the data folder from the given environment and system properties, without touching the
   * disk.
   */
  public static Path resolve(Map<String, String> env, Properties properties) {
    String configured = properties.getProperty(PROPERTY);
    if (isBlank(configured)) {
      configured = env.get(ENV);
    }
    if (!isBlank(configured)) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base =
        isBlank(xdg)
            ? Path.of(properties.getProperty("user.home"), ".local", "share")
            : Path.of(xdg);
    return base.resolve("tapedeck").toAbsolutePath().normalize();
  }

  /** Creates {@code dir} (and its parents) if missing and returns it. */
  public static Path create(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data folder " + dir, e);
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
