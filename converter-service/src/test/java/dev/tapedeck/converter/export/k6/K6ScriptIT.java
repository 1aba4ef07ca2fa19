package dev.tapedeck.converter.export.k6;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.Recordings;
import dev.tapedeck.converter.export.script.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the generated k6 script with {@code node --check} (k6 itself is not on Maven Central). */
class K6ScriptIT {

  @Test
  void parsesAsJavaScriptWithThinkTimesChecksAndHostVariables(@TempDir Path dir) throws Exception {
    String script =
        Exports.export(
            ExportFormat.K6,
            Recordings.shop(),
            Exports.options(o -> o.setBaseUrl("http://staging.example.test/")));
    // An ES module whatever the surrounding package.json says, as k6 reads it.
    Path file = dir.resolve("shop.mjs");
    Files.writeString(file, script);
    NodeTools.Result check =
        NodeTools.run(List.of(NodeTools.node(), "--check", file.toString()), Map.of(), 60);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(script)
        .contains("sleep(0.225);")
        .contains("check(response, { \"GET /users/42 is 200\": (r) => r.status === 200 });")
        .contains("BASE_URL: __ENV.BASE_URL || \"http://staging.example.test\"")
        .doesNotContain("s3cr3t");
  }
}
