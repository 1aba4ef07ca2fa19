package dev.tapedeck.converter.export.script;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node.js tools for the tests that feed the generated scripts to their real consumers: {@code
 * node --check}, {@code node --test}, and newman installed from the npm registry into {@code
 * target/npm}. Tests are skipped, saying why, when node or npm is missing or newman cannot be
 * installed (offline).
 */
public final class NodeTools {

  /** The newman major version installed. */
  public static final String NEWMAN = "newman@6";

  private static final Path NPM_PREFIX = Path.of("target", "npm");

  private NodeTools() {}

  /**
   * The output and exit code of a finished process.
   *
   * @param exitCode the exit code
   * @param output stdout and stderr together
   */
  public record Result(int exitCode, String output) {}

  /** The node executable, or the test is skipped. */
  public static String node() {
    Optional<String> node = onPath("node");
    assumeTrue(node.isPresent(), "node is not installed: skipping the test that runs it");
    return node.get();
  }

  /** newman, installed on first use, or the test is skipped. */
  public static synchronized String newman() throws Exception {
    Path newman = NPM_PREFIX.resolve("node_modules/.bin/newman");
    if (!Files.isExecutable(newman)) {
      Optional<String> npm = onPath("npm");
      assumeTrue(npm.isPresent(), "npm is not installed: skipping the newman run");
      Result install =
          run(
              List.of(
                  npm.get(),
                  "install",
                  "--prefix",
                  NPM_PREFIX.toString(),
                  "--no-audit",
                  "--no-fund",
                  NEWMAN),
              Map.of(),
              300);
      assumeTrue(
          install.exitCode() == 0 && Files.isExecutable(newman),
          "npm install " + NEWMAN + " failed (offline?): " + install.output());
    }
    return newman.toString();
  }

  /** Runs {@code command}, failing after {@code timeoutSeconds}. */
  public static Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("node-tools", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Optional<String> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
