package dev.tapedeck.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.cli.CliHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunArgumentsTest {
  private static RunCommand parsed(String... args) {
    CommandLine line = CliHarness.parse(args);
    return line.getSubcommands().get("run").getCommand();
  }

  @Test
  void everythingAfterTheDoubleDashIsTheCommandItsOptionsIncluded() {
    RunCommand run = parsed("run", "--har", "out.har", "--export", "wiremock:m.json", "--mitm", "--", "sh", "-c", "curl -sS http://x; exit 3");

    assertThat(run.command).containsExactly("sh", "-c", "curl -sS http://x; exit 3");
    assertThat(run.har).isEqualTo("out.har");
    assertThat(run.exports).containsExactly("wiremock:m.json");
    assertThat(run.mitm).isTrue();
  }

  @Test
  void withoutTheDoubleDashTheCommandStartsAtTheFirstPositional() {
    RunCommand run = parsed("run", "--name", "ci", "curl", "-x", "http://elsewhere", "--help");

    assertThat(run.command).containsExactly("curl", "-x", "http://elsewhere", "--help");
    assertThat(run.options.name()).isEqualTo("ci");
  }

  @Test
  void aBadExportIsRefusedBeforeAnySessionStarts() {
    CliHarness.Result result = CliHarness.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1"), "run", "--export", "pdf:x.pdf", "--", "true");

    assertThat(result.exit()).isEqualTo(RunCommand.TAPEDECK_FAILED);
    assertThat(result.err()).startsWith("tapedeck: unknown format \"pdf\"; one of har, wiremock");
  }

  @Test
  void anUnreachableServerFailsWith125AndRunsNothing() {
    CliHarness.Result result = CliHarness.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1"), "run", "--", "sh", "-c", "echo ran");

    assertThat(result.exit()).isEqualTo(125);
    assertThat(result.err()).contains("cannot reach Tapedeck").doesNotContain("ran");
  }

  @Test
  void settleAndWaitTimeoutOutsideTheirRangesAreRefusedBeforeAnySessionStarts() {
    CliHarness.Result settle = CliHarness.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1"), "run", "--settle", "600001", "--", "true");
    CliHarness.Result timeout = CliHarness.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1"), "run", "--wait-timeout", "0", "--", "true");

    assertThat(settle.exit()).isEqualTo(125);
    assertThat(settle.err()).isEqualTo("tapedeck: --settle must be 0-600000 ms\n");
    assertThat(timeout.exit()).isEqualTo(125);
    assertThat(timeout.err()).isEqualTo("tapedeck: --wait-timeout must be 1-3600 seconds\n");
  }
}
