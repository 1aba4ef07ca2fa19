package dev.tapedeck.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @Test
  void theUrlComesFromTheFlagThenTheEnvironmentThenTheDefault() {
    assertThat(Settings.url("http://a:1/", Map.of("TAPEDECK_URL", "http://b:2"))).isEqualTo("http://a:1");
    assertThat(Settings.url(null, Map.of("TAPEDECK_URL", "https://b:2"))).isEqualTo("https://b:2");
    assertThat(Settings.url(null, Map.of())).isEqualTo("http://localhost:5770");
    assertThatThrownBy(() -> Settings.url("localhost:5770", Map.of())).hasMessageContaining("must be an http:// or https:// URL");
  }

  @Test
  void withoutAKeyTheAdminKeyFileOfTheDataFolderIsRead(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("admin-api-key"), "tdk_admin\n");
    Path xdg = Files.createDirectories(dir.resolve("xdg/tapedeck"));
    Files.writeString(xdg.resolve("admin-api-key"), "tdk_xdg");

    assertThat(Settings.apiKey("flag", Map.of("TAPEDECK_API_KEY", "env"))).contains("flag");
    assertThat(Settings.apiKey(null, Map.of("TAPEDECK_API_KEY", "env"))).contains("env");
    assertThat(Settings.apiKey(null, Map.of("TAPEDECK_DATA_DIR", dir.toString()))).contains("tdk_admin");
    assertThat(Settings.apiKey(null, Map.of("XDG_DATA_HOME", dir.resolve("xdg").toString()))).contains("tdk_xdg");
    assertThat(Settings.apiKey(null, Map.of("TAPEDECK_DATA_DIR", dir.resolve("none").toString()))).isEmpty();
    assertThat(Settings.dataDir(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.local/share/tapedeck"));
  }
}
