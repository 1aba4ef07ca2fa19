package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {
  @Test
  void findsTheFolderWithMvnwAndProtoAboveTheStart(@TempDir Path tmp) throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.createFile(repo.resolve("mvnw"));
    Files.createDirectories(repo.resolve("proto"));
    Path deep = Files.createDirectories(repo.resolve("e2e-tests/target/x"));
    // A folder with mvnw but no proto/ is not the root.
    Files.createFile(repo.resolve("e2e-tests/mvnw"));
    assertThat(RepoRoot.findFrom(deep)).isEqualTo(repo.toAbsolutePath().normalize());
  }

  @Test
  void findsThisRepository() {
    assertThat(RepoRoot.find().resolve("testkit")).isDirectory();
  }

  @Test
  void saysHowToFixAMissingRoot(@TempDir Path tmp) {
    assertThatThrownBy(() -> RepoRoot.findFrom(tmp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mvnw and proto/");
  }
}
