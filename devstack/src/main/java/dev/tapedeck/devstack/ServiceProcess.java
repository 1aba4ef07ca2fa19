package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Tapedeck Quarkus service running as a child process: {@code <java> -Xmx<heap> -jar
 * <module>/target/quarkus-app/quarkus-run.jar} (the heap the {@link Service} gives it), with extra
 * environment variables, its output in a log file. The java binary is this JVM's. The child also
 * gets the {@link ParentWatch} agent (from the dev stack's jar, when one is at hand), so it exits if
 * this JVM is killed.
 *
 * <p>{@link #stop()} and {@link #restart()} let a test take a service down and bring it back.
 */
public final class ServiceProcess implements AutoCloseable {
  /** JVM options of a service started by name rather than as a {@link Service} (which has its own). */
  public static final List<String> JVM_OPTIONS = List.of("-Xmx256m");

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(250);

  private final String name;
  private final Path jar;
  private final int httpPort;
  private final Map<String, String> env;
  private final Path logFile;
  private final Path watchAgentJar;
  private final int niceness;
  private final List<String> jvmOptions;
  /** JVM options in place of {@link #jvmOptions} for the current run only; see {@link #restartWith}. */
  private volatile List<String> jvmOverrides;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private volatile Process process;
  /** Settings on top of {@link #env} for the current run only; see {@link #restartWith}. */
  private volatile Map<String, String> overrides = Map.of();

  private ServiceProcess(
      String name,
      Path jar,
      int httpPort,
      Map<String, String> env,
      Path logFile,
      Path watchAgentJar,
      int niceness,
      List<String> jvmOptions) {
    this.name = name;
    this.jar = jar;
    this.httpPort = httpPort;
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.watchAgentJar = watchAgentJar;
    this.niceness = niceness;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * Starts {@code java -jar jar} with {@code env} added to this process's environment, output to
   * {@code logFile} (an older one is kept as {@code .1}). Returns at once; see {@link #awaitReady}.
   *
   * @param name a short name for messages
   * @param httpPort the port its health endpoint answers on (the caller puts it into {@code env})
   * @throws StackStartException if the jar does not exist
   */
  public static ServiceProcess start(
      String name, Path jar, int httpPort, Map<String, String> env, Path logFile) {
    return start(name, jar, httpPort, env, logFile, null, 0, JVM_OPTIONS);
  }

  /** As {@link #start(String, Path, int, Map, Path)}, with {@code jvmOptions} (a service's own, say). */
  public static ServiceProcess start(
      String name, Path jar, int httpPort, Map<String, String> env, Path logFile, List<String> jvmOptions) {
    return start(name, jar, httpPort, env, logFile, null, 0, jvmOptions);
  }

  private static ServiceProcess start(
      String name,
      Path jar,
      int httpPort,
      Map<String, String> env,
      Path logFile,
      Path watchAgentJar,
      int niceness,
      List<String> jvmOptions) {
    if (!Files.isRegularFile(jar)) {
      throw new StackStartException(
          "No "
              + jar
              + ": the "
              + name
              + " service is not packaged. Build it first with"
              + " `./mvnw package -DskipTests` (or `make build`).");
    }
    LogFiles.rotate(logFile);
    ServiceProcess service =
        new ServiceProcess(name, jar, httpPort, env, logFile, watchAgentJar, niceness, jvmOptions);
    service.launch();
    return service;
  }

  /**
   * Starts {@code service} from {@code repoRoot} with the environment {@code layout} gives it,
   * logging to {@code <data>/logs/<short name>.log}, at the service's {@link Service#niceness}.
   */
  public static ServiceProcess start(Service service, Path repoRoot, StackLayout layout) {
    return start(
        service.shortName(),
        service.runnerJar(repoRoot),
        layout.httpPort(service),
        layout.env(service),
        LogFiles.of(layout.dataDir(), service.shortName()),
        repoRoot.resolve("devstack").resolve("target").resolve("tapedeck-devstack.jar"),
        service.niceness(),
        service.jvmOptions());
  }

  /**
   * Starts one of several processes of {@code service}: the environment {@code layout} gives it
   * (HTTP port included, so give each process its own layout port) with {@code extraEnv} on top,
   * such as its own {@code TAPEDECK_PROXY_ID}, logging to {@code <data>/logs/<name>.log}, at the
   * service's {@link Service#niceness}.
   */
  public static ServiceProcess start(
      Service service,
      Path repoRoot,
      StackLayout layout,
      String name,
      Map<String, String> extraEnv) {
    Map<String, String> env = new LinkedHashMap<>(layout.env(service));
    env.putAll(extraEnv);
    return start(
        name,
        service.runnerJar(repoRoot),
        layout.httpPort(service),
        env,
        LogFiles.of(layout.dataDir(), name),
        repoRoot.resolve("devstack").resolve("target").resolve("tapedeck-devstack.jar"),
        service.niceness(),
        service.jvmOptions());
  }

  private synchronized void launch() {
    List<String> command = new ArrayList<>(LowerPriority.niceCommand(niceness));
    command.add(ChildJvm.javaBinary());
    command.addAll(jvmOverrides != null ? jvmOverrides : jvmOptions);
    ChildJvm.parentWatchAgent(watchAgentJar).ifPresent(command::add);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    builder.environment().putAll(overrides);
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "---- " + Instant.now() + " starting " + name + ": " + String.join(" ", command) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the " + name + " service", e);
    }
  }

  /**
   * Polls {@code /q/health/ready} until it answers 200.
   *
   * @throws StackStartException if the process exits first or {@code timeout} passes; the message
   *     has the end of its log
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Process current = process;
      if (!current.isAlive()) {
        throw new StackStartException(
            "The "
                + name
                + " service exited (code "
                + current.exitValue()
                + ") before it was ready. Last lines of "
                + logFile
                + ":\n"
                + LogTail.of(logFile, 40));
      }
      if (isReady()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new StackStartException(
            "The "
                + name
                + " service was not ready on "
                + readyUrl()
                + " within "
                + timeout.toSeconds()
                + " s. Last lines of "
                + logFile
                + ":\n"
                + LogTail.of(logFile, 40));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackStartException("Interrupted while waiting for " + name, e);
      }
    }
  }

  /** Whether {@code /q/health/ready} answers 200 right now. */
  public boolean isReady() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(readyUrl())).timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops the service: SIGTERM, up to 10 s for a graceful shutdown, then SIGKILL. Returns once it
   * has exited. Idempotent.
   */
  public void stop() {
    ProcessStopper.stop(process, STOP_GRACE);
  }

  /** Kills the service at once (SIGKILL), as a crashed node would; returns once it has exited. */
  public void kill() {
    Process p = process;
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Freezes the service where it is (SIGSTOP), as a stalled process would be: its ports stay open
   * and nothing answers or runs until {@link #resume()}.
   */
  public void suspend() {
    signal("STOP");
  }

  /** Lets a {@linkplain #suspend() suspended} service run again (SIGCONT); harmless otherwise. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sending SIG" + name, e);
    }
  }

  /** Stops the service and starts it again with the command and environment it started with. */
  public synchronized void restart() {
    restartWith(Map.of());
  }

  /**
   * Stops the service and starts it again with {@code settings} (environment variables) on top of
   * its own; a later {@link #restart()} goes back to its own. Returns at once; see {@link
   * #awaitReady}.
   */
  public synchronized void restartWith(Map<String, String> settings) {
    stop();
    overrides = Map.copyOf(settings);
    jvmOverrides = null;
    launch();
  }

  /**
   * Stops the service and starts it again with {@code options} in place of its JVM options (a
   * smaller heap, say); a later {@link #restart()} goes back to its own. Returns at once; see
   * {@link #awaitReady}.
   */
  public synchronized void restartWithJvmOptions(List<String> options) {
    stop();
    overrides = Map.of();
    jvmOverrides = List.copyOf(options);
    launch();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The current process's pid. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The short name given at start. */
  public String name() {
    return name;
  }

  /** The HTTP port. */
  public int httpPort() {
    return httpPort;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://" + LoopbackPorts.HOST + ":" + httpPort;
  }

  /** Where its output goes. */
  public Path logFile() {
    return logFile;
  }

  /** The last {@code lines} lines of its log. */
  public String logTail(int lines) {
    return LogTail.of(logFile, lines);
  }

  /** The environment variables it was given (on top of the inherited ones). */
  public Map<String, String> env() {
    return new LinkedHashMap<>(env);
  }

  private String readyUrl() {
    return url() + "/q/health/ready";
  }

  @Override
  public String toString() {
    return name + " service (port " + httpPort + ")";
  }
}
