package dev.tapedeck.devstack;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code EmbeddedStack} main run as a child process, exactly as {@code make run} and
 * the test kit run it: {@code java -cp target/tapedeck-devstack.jar:target/lib/* ...}.
 */
final class StackUnderTest implements AutoCloseable {
  final Process process;
  final CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
  final StringBuffer stdout = new StringBuffer();
  final Path stderr;

  private StackUnderTest(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  stdout.append(line).append('\n');
                  ReadyLine.parse(line).ifPresent(ready::complete);
                }
              } catch (IOException e) {
                // process ended
              } finally {
                ready.completeExceptionally(new IllegalStateException("stack exited"));
              }
            });
    pump.setDaemon(true);
    pump.start();
  }

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  static StackUnderTest launch(Path dataDir, String... flags) throws IOException {
    Path target = moduleDir().resolve("target");
    Path jar = target.resolve("tapedeck-devstack.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `./mvnw verify` (package first)");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(MongoWireServer.JVM_OPTIONS); // as `make run` starts it
    command.add("-javaagent:" + jar + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(jar + File.pathSeparator + target.resolve("lib") + File.separator + "*");
    command.add("dev.tapedeck.devstack.EmbeddedStack");
    command.add("--data-dir");
    command.add(dataDir.toString());
    command.addAll(List.of(flags));
    Path stderr = Files.createTempFile("stack-stderr", ".log");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new StackUnderTest(process, stderr);
  }

  ReadyLine awaitReady(Duration timeout) throws Exception {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "no ready line; stdout:\n" + stdout + "\nstderr:\n" + Files.readString(stderr), e);
    }
  }

  /** SIGTERM and wait; returns the exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("stack did not stop within " + timeout);
    }
    return process.exitValue();
  }

  String stderrText() throws IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
