package dev.tapedeck.cli.it;

import dev.tapedeck.testkit.RepoRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tapedeck} of this repository run as a process, as a user or a CI job runs it: its own
 * environment (PATH, HOME, JAVA_HOME of the test JVM, plus what a test adds), output to files.
 */
final class CliProcess {
  /** What a finished run printed and returned. */
  record Result(int exit, String out, String err) {}

  private CliProcess() {}

  static Path script() {
    return RepoRoot.find().resolve("bin").resolve("tapedeck");
  }

  /** The environment a run starts from: nothing of the test JVM's but PATH and HOME. */
  static Map<String, String> baseEnv(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", System.getProperty("user.home"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(extra);
    return env;
  }

  /** Starts {@code bin/tapedeck args} with {@code env}, standard output and error to the files. */
  static Process start(Map<String, String> env, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().clear();
    builder.environment().putAll(baseEnv(env));
    return builder.start();
  }

  /** Runs {@code bin/tapedeck args} to its end (at most two minutes). */
  static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tapedeck-out", ".txt");
    Path err = Files.createTempFile("tapedeck-err", ".txt");
    Process process = start(env, out, err, args);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tapedeck " + String.join(" ", args) + " did not finish; stderr: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
