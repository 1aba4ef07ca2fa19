package dev.tapedeck.testkit;

import dev.tapedeck.devstack.LogTail;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.devstack.ReadyLine;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dev stack ({@code dev.tapedeck.devstack.EmbeddedStack}) run as a child process from the
 * packaged {@code devstack/target/tapedeck-devstack.jar} and {@code devstack/target/lib/*}, the way
 * {@code make run} runs it. Its stdout and stderr go to {@code <data>/logs/stack.log}; {@link
 * #start} returns once it has printed its {@link ReadyLine}.
 */
public final class StackProcess implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private static final String ANSWER = "tapedeck stack: kafka ";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final ReadyLine ready;
  private final Path logFile;
  private final BlockingQueue<String> answers;

  private StackProcess(
      Process process, ReadyLine ready, Path logFile, BlockingQueue<String> answers) {
    this.process = process;
    this.ready = ready;
    this.logFile = logFile;
    this.answers = answers;
  }

  /** Stops the Kafka broker alone, as an outage would; returns once it has exited. */
  public void stopKafka() {
    command("kafka-stop", "kafka stopped");
  }

  /** Starts the Kafka broker again with its data; returns once it is ready. */
  public void startKafka() {
    command("kafka-start", "kafka started");
  }

  private synchronized void command(String command, String done) {
    try {
      answers.clear();
      process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      String answer = answers.poll(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (answer == null || !answer.equals("tapedeck stack: " + done)) {
        throw new IllegalStateException(
            "The dev stack did not do " + command + ": " + answer + "\n" + LogTail.of(logFile, 40));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot send " + command + " to the dev stack", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + command, e);
    }
  }

  /** {@code <repo>/devstack/target/tapedeck-devstack.jar}. */
  public static Path devstackJar(Path repoRoot) {
    return repoRoot.resolve("devstack").resolve("target").resolve("tapedeck-devstack.jar");
  }

  /**
   * Starts the stack on the given ports with its data in {@code dataDir} and waits up to {@code
   * timeout} for its ready line.
   *
   * @throws IllegalStateException if the dev stack is not packaged, exits, or is not ready in time;
   *     the message has the end of its log
   */
  public static StackProcess start(
      Path repoRoot, Path dataDir, int kafkaPort, int mongoPort, Duration timeout) {
    Path jar = devstackJar(repoRoot);
    Path lib = jar.resolveSibling("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "The dev stack is not packaged (no "
              + jar
              + " or "
              + lib
              + "). Run `./mvnw package"
              + " -DskipTests` (or `make test`) first.");
    }
    Path logFile = dataDir.resolve("logs").resolve("stack.log");
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    // It hosts the Mongo-wire server: the heap cap that keeps it under 1 GB of memory.
    command.addAll(MongoWireServer.JVM_OPTIONS);
    // The stack exits (and stops its Kafka child) if this test JVM is killed.
    command.add("-javaagent:" + jar + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(jar + File.pathSeparator + lib + File.separator + "*");
    command.add("dev.tapedeck.devstack.EmbeddedStack");
    command.addAll(
        List.of(
            "--data-dir", dataDir.toString(),
            "--kafka-port", Integer.toString(kafkaPort),
            "--mongo-port", Integer.toString(mongoPort)));
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(command).redirectError(Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the dev stack", e);
    }
    CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    Thread pump =
        new Thread(() -> pumpStdout(process, logFile, ready, answers), "tapedeck-stack-stdout");
    pump.setDaemon(true);
    pump.start();
    try {
      return new StackProcess(
          process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS), logFile, answers);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "The dev stack did not print its ready line within "
              + timeout.toSeconds()
              + " s"
              + (process.isAlive() ? "" : " (it exited)")
              + ". Last lines of "
              + logFile
              + ":\n"
              + LogTail.of(logFile, 40),
          e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the dev stack", e);
    }
  }

  /** Copies the child's stdout into the log, completing {@code ready} on the ready line. */
  private static void pumpStdout(
      Process process,
      Path logFile,
      CompletableFuture<ReadyLine> ready,
      BlockingQueue<String> answers) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                logFile.resolveSibling("stack.out"),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        log.write(line + "\n");
        log.flush();
        ReadyLine.parse(line).ifPresent(ready::complete);
        if (line.startsWith(ANSWER)) {
          answers.add(line);
        }
      }
    } catch (IOException e) {
      // The stream closes when the process ends.
    } finally {
      ready.completeExceptionally(new IllegalStateException("the dev stack exited"));
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Kafka's {@code bootstrap.servers}. */
  public String kafkaBootstrap() {
    return ready.kafkaBootstrap();
  }

  /** MongoDB's connection string. */
  public String mongoUri() {
    return ready.mongoUri();
  }

  /** The stack process's pid. */
  public long pid() {
    return process.pid();
  }

  /** Where its stderr goes (its stdout, the ready line, goes to {@code stack.out} beside it). */
  public Path logFile() {
    return logFile;
  }

  /** SIGTERM (the stack stops Kafka and MongoDB), up to 30 s, then SIGKILL. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
