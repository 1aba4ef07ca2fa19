package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.devstack.Walkthrough;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl sequence {@code make run} prints works as printed: pasted into bash against a running
 * system, it starts a session, sends a request through it and lists the recorded entry.
 */
class WalkthroughIT {

  @Test
  void printedCurlSequenceRecordsAndListsAnEntry(@TempDir Path workDir) throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    try (UpstreamServer demo =
        UpstreamServer.start()
            .route(
                "GET",
                "/hello",
                req -> UpstreamResponse.json(200, "{\"greeting\":\"hello " + req.path() + "\"}"))) {
      String text =
          Walkthrough.render(
              system.layout(), Optional.of(system.adminKey()), "http://127.0.0.1:" + demo.port());
      String script = text.substring(text.indexOf("Try it:") + "Try it:".length(), text.indexOf("Ctrl+C"));

      Process bash =
          new ProcessBuilder("bash", "-e", "-c", script)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .start();
      assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("the walkthrough finishes").isTrue();
      String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(bash.exitValue()).as(output).isZero();
      assertThat(output).contains("\"status\":\"running\"");
      assertThat(output).contains("{\"greeting\":\"hello /hello\"}");
      assertThat(output).as("the entries listing shows the request").contains("/hello?name=tapedeck");
      assertThat(demo.requests()).hasSize(1);
      assertThat(workDir.resolve("session.har")).content().contains("\"version\":\"1.2\"");
    }
  }
}
