package dev.tapedeck.converter.export.nodetest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import dev.tapedeck.converter.export.script.NodeTools;
import dev.tapedeck.converter.export.script.RecordedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated test script with the real {@code node --test} against a local upstream. */
class NodeTestScriptIT {

  @TempDir Path dir;

  private Path script() throws Exception {
    Path script = dir.resolve("shop" + NodeTestWriter.EXTENSION);
    Files.writeString(
        script,
        Exports.export(ExportFormat.NODE_TEST, Recordings.shop(), ConversionOptions.defaults()));
    return script;
  }

  @Test
  void parsesAsJavaScript() throws Exception {
    NodeTools.Result check =
        NodeTools.run(List.of(NodeTools.node(), "--check", script().toString()), Map.of(), 60);
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void passesAgainstTheRecordedUpstream() throws Exception {
    String node = NodeTools.node();
    try (RecordedUpstream upstream = RecordedUpstream.of(Recordings.shop())) {
      NodeTools.Result run =
          NodeTools.run(
              List.of(node, "--test", script().toString()),
              Map.of("BASE_URL", upstream.baseUrl()),
              120);
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("# pass 11").contains("# fail 0");
    }
  }

  @Test
  void failsAgainstAnUpstreamWhoseResponsesChangedShape() throws Exception {
    String node = NodeTools.node();
    try (RecordedUpstream upstream =
        RecordedUpstream.changed(
            Recordings.shop(), body -> body.replace("\"name\":\"Ada\"", "\"name\":7"))) {
      NodeTools.Result run =
          NodeTools.run(
              List.of(node, "--test", script().toString()),
              Map.of("BASE_URL", upstream.baseUrl()),
              120);
      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output())
          .contains("# fail 1")
          .contains("$.name: expected string, got integer");
    }
  }
}
