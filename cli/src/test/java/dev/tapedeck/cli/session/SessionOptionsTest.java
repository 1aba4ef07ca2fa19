package dev.tapedeck.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.cli.CliHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionOptionsTest {
  @Test
  void flagsBecomeTheStartBodyOnTopOfAConfigFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.json");
    Files.writeString(config, "{\"name\":\"saved\",\"filters\":{\"excludePaths\":[\"/health\"]},\"forwardedHeaders\":true}");
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "PEM");
    SessionCommands.Start start =
        CliHarness.parse("start", "--config", config.toString(), "--name", "ci", "--port", "8090", "--include-host", "a.example,*.b.example",
                "--upstream-ca", ca.toString(), "--mitm", "--passthrough-host", "pinned.example", "--durability", "acked")
            .getSubcommands().get("start").getCommand();

    assertThat(start.options.body("forward", true).toString())
        .isEqualTo("{\"name\":\"ci\",\"filters\":{\"excludePaths\":[\"/health\"],\"includeHosts\":[\"a.example\",\"*.b.example\"]},"
            + "\"forwardedHeaders\":true,\"listenPort\":8090,\"mode\":\"forward\",\"upstreamTls\":{\"caPem\":\"PEM\"},"
            + "\"mitm\":{\"enabled\":true,\"passthroughHosts\":[\"pinned.example\"]},\"durability\":\"acked\"}");
  }
}
