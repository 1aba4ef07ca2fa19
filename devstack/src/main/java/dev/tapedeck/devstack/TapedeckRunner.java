package dev.tapedeck.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code make run}: the whole system on this machine. Starts the {@link EmbeddedStack} in this JVM,
 * then the four services as processes (storage, converter, control, proxy, each waited for), then
 * the {@link DemoUpstream}, prints where everything is and a first curl sequence, and runs until
 * Ctrl+C or SIGTERM, when it stops the services, then Kafka and MongoDB, and exits 0.
 *
 * <p>Flags: {@code --repo DIR} (repository root, default the current folder), {@code --data-dir
 * DIR}, {@code --no-auth} (control-service accepts requests without a key), {@code --kafka-port N}
 * (9092), {@code --mongo-port N} (27017), {@code --partitions N} (3), {@code --demo-port N} (5780).
 * Exits 1 if anything fails to start, after stopping what did; 2 on a bad argument.
 */
public final class TapedeckRunner {
  private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration KEY_WAIT = Duration.ofSeconds(10);
  private static final String USAGE =
      "usage: TapedeckRunner [--repo DIR] [--data-dir DIR] [--no-auth] [--kafka-port N]"
          + " [--mongo-port N] [--partitions N] [--demo-port N]";

  private TapedeckRunner() {}

  /** Runs the system; see the class description. */
  public static void main(String[] args) {
    EmbeddedStack.quietJdkWarnings();
    Flags flags;
    try {
      flags =
          Flags.parse(
              args,
              Set.of(
                  "--repo",
                  "--data-dir",
                  "--kafka-port",
                  "--mongo-port",
                  "--partitions",
                  "--demo-port"),
              Set.of("--no-auth"));
    } catch (IllegalArgumentException e) {
      System.err.println("tapedeck run: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    StopOnExit stops = new StopOnExit().installHook("tapedeck-run-stop", true);
    try {
      run(flags, stops);
    } catch (IllegalArgumentException | StackStartException e) {
      System.err.println("\ntapedeck run: " + e.getMessage());
      System.err.println("tapedeck run: stopping what was started.");
      stops.exit(1);
      return;
    }
    StopOnExit.blockForever();
  }

  private static void run(Flags flags, StopOnExit stops) {
    Path repo = flags.path("--repo").orElse(Path.of("").toAbsolutePath());
    requirePackaged(repo);
    Path dataDir = DataDir.create(flags.path("--data-dir").orElseGet(DataDir::resolveAndCreate));
    int demoPort = flags.intValue("--demo-port", DemoUpstream.DEFAULT_PORT);
    for (Service service : Service.values()) {
      LoopbackPorts.requireFree(service.defaultHttpPort(), service.module(), null);
      if (service.servesGrpc()) {
        LoopbackPorts.requireFree(service.defaultGrpcPort(), service.module() + " (internal gRPC)", null);
      }
    }
    LoopbackPorts.requireFree(demoPort, "demo upstream", "--demo-port");

    EmbeddedStack.Options options =
        new EmbeddedStack.Options(
            dataDir,
            flags.intValue("--kafka-port", EmbeddedStack.DEFAULT_KAFKA_PORT),
            flags.intValue("--mongo-port", EmbeddedStack.DEFAULT_MONGO_PORT),
            flags.intValue("--partitions", EmbeddedStack.DEFAULT_PARTITIONS));
    say("starting Kafka and MongoDB (data in " + dataDir + ") ...");
    EmbeddedStack stack = stops.add(EmbeddedStack.start(options));
    say(
        "Kafka ready on "
            + stack.kafkaBootstrap()
            + " in "
            + stack.kafka().startupTime().toMillis()
            + " ms; MongoDB on "
            + stack.mongoUri());

    StackLayout layout =
        StackLayout.defaults(dataDir, stack.kafkaBootstrap(), stack.mongoUri())
            .withAuth(!flags.has("--no-auth"));
    for (Service service : Service.values()) {
      long started = System.nanoTime();
      say(
          "starting "
              + service.module()
              + " on port "
              + layout.httpPort(service)
              + (service.servesGrpc() ? " (internal gRPC " + layout.grpcPort(service) + ", token required)" : "")
              + " ...");
      ServiceProcess process = stops.add(ServiceProcess.start(service, repo, layout));
      try {
        process.awaitReady(SERVICE_READY_TIMEOUT);
      } catch (StackStartException e) {
        throw new StackStartException(service.module() + " failed to start.\n" + e.getMessage(), e);
      }
      say(
          service.module()
              + " ready in "
              + Duration.ofNanos(System.nanoTime() - started).toMillis()
              + " ms (pid "
              + process.pid()
              + ", log "
              + process.logFile()
              + ")");
    }
    DemoUpstream demo = stops.add(DemoUpstream.start(demoPort));
    Optional<String> key = AdminKeyFile.await(layout.adminKeyFile(), KEY_WAIT);
    System.out.println(Walkthrough.render(layout, key, demo.url()));
    System.out.flush();
  }

  private static void requirePackaged(Path repo) {
    List<String> missing = new ArrayList<>();
    for (Service service : Service.values()) {
      if (!Files.isRegularFile(service.runnerJar(repo))) {
        missing.add(repo.relativize(service.runnerJar(repo)).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new StackStartException(
          "The services are not packaged (missing "
              + String.join(", ", missing)
              + " under "
              + repo
              + "). Run `./mvnw package -DskipTests` (or `make build`) first, and pass"
              + " --repo if this is not the repository root.");
    }
  }

  private static void say(String line) {
    System.out.println("tapedeck run: " + line);
  }
}
