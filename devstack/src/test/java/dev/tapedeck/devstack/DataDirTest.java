package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
  private static Properties props(String... pairs) {
    Properties p = new Properties();
    p.setProperty("user.home", "/home/alice");
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void usesSystemPropertyFirst() {
    Path dir =
        DataDir.resolve(
            Map.of("TAPEDECK_DATA_DIR", "/from/env", "XDG_DATA_HOME", "/xdg"),
            props("tapedeck.data-dir", "/from/property"));
    assertThat(dir).isEqualTo(Path.of("/from/property"));
  }

  @Test
  void usesEnvironmentVariableWhenNoProperty() {
    Path dir =
        DataDir.resolve(Map.of("TAPEDECK_DATA_DIR", "/from/env", "XDG_DATA_HOME", "/xdg"), props());
    assertThat(dir).isEqualTo(Path.of("/from/env"));
  }

  @Test
  void fallsBackToXdgDataHome() {
    assertThat(DataDir.resolve(Map.of("XDG_DATA_HOME", "/xdg"), props()))
        .isEqualTo(Path.of("/xdg/tapedeck"));
  }

  @Test
  void fallsBackToLocalShareUnderHome() {
    assertThat(DataDir.resolve(Map.of(), props()))
        .isEqualTo(Path.of("/home/alice/.local/share/tapedeck"));
  }

  @Test
  void ignoresBlankSettings() {
    Path dir =
        DataDir.resolve(
            Map.of("TAPEDECK_DATA_DIR", "  ", "XDG_DATA_HOME", ""), props("tapedeck.data-dir", ""));
    assertThat(dir).isEqualTo(Path.of("/home/alice/.local/share/tapedeck"));
  }

  @Test
  void makesRelativePathsAbsolute() {
    Path dir = DataDir.resolve(Map.of("TAPEDECK_DATA_DIR", "rel/data"), props());
    assertThat(dir).isAbsolute().endsWithRaw(Path.of("rel", "data"));
  }

  @Test
  void createCreatesMissingParents(@TempDir Path tmp) {
    Path dir = DataDir.create(tmp.resolve("a/b/tapedeck"));
    assertThat(dir).isDirectory();
  }
}
