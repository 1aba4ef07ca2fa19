package dev.tapedeck.control.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The data folder: {@code tapedeck.data-dir} (env {@code TAPEDECK_DATA_DIR}) if set, else
 * {@code ${XDG_DATA_HOME:-~/.local/share}/tapedeck}.
 */
@ApplicationScoped
public class DataFolder {
  private final Path path;

  public DataFolder(@ConfigProperty(name = "tapedeck.data-dir") Optional<String> configured) {
    this.path = configured.filter(s -> !s.isBlank()).map(Path::of).orElseGet(DataFolder::defaultPath);
  }

  public Path path() {
    return path;
  }

  static Path defaultPath() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("tapedeck");
  }
}
