package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChartLintTest {

  @Test
  void chartLintsCleanInStrictMode() {
    LintResult result = Chart.staged().lint();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tapedeck.deploy.RenderCase#all")
  void chartLintsCleanWithEachDocumentedOption(RenderCase option) {
    LintResult result = Chart.staged().withValuesOverlay("lint-" + option.name(), option.values()).lint();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintRefusesDefaultValuesTheSchemaDoesNotAllow() throws IOException {
    String values = Files.readString(Chart.staged().source().resolve("values.yaml"));
    Chart broken = Chart.staged().withDefaultValues("bad-defaults", values.replace("  end: 8090", "  end: 80"));

    LintResult result = broken.lint();

    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("sessionPorts").contains("end");
  }
}
