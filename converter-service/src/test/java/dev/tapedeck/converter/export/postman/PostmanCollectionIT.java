package dev.tapedeck.converter.export.postman;

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

/**
 * Runs the generated Postman collection with the real newman (installed from the npm registry into
 * target/npm) against a local upstream answering the recorded responses.
 */
class PostmanCollectionIT {

  @TempDir Path dir;

  private NodeTools.Result newman(RecordedUpstream upstream) throws Exception {
    String newman = NodeTools.newman();
    Path collection = dir.resolve("shop" + PostmanCollectionWriter.EXTENSION);
    Files.writeString(
        collection,
        Exports.export(ExportFormat.POSTMAN, Recordings.shop(), ConversionOptions.defaults()));
    return NodeTools.run(
        List.of(
            newman,
            "run",
            collection.toString(),
            "--env-var",
            "baseUrl=" + upstream.baseUrl(),
            "--reporters",
            "cli",
            "--color",
            "off"),
        Map.of(),
        180);
  }

  @Test
  void assertionsPassAgainstTheRecordedUpstream() throws Exception {
    try (RecordedUpstream upstream = RecordedUpstream.of(Recordings.shop())) {
      NodeTools.Result run = newman(upstream);
      assertThat(run.exitCode()).as(run.output()).isZero();
      // 11 status checks and 10 shape checks (the 204 has no body), all passed.
      assertThat(run.output().split("✓", -1).length - 1).as(run.output()).isEqualTo(21);
    }
  }

  @Test
  void assertionsFailAgainstAnUpstreamThatChanged() throws Exception {
    try (RecordedUpstream upstream =
        RecordedUpstream.changed(
            Recordings.shop(), body -> body.replace("\"page\":0", "\"page\":\"0\""))) {
      NodeTools.Result run = newman(upstream);
      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output()).contains("response has the recorded shape");
    }
  }
}
