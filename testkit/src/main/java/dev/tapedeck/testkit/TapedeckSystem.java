package dev.tapedeck.testkit;

import dev.tapedeck.devstack.AdminKeyFile;
import dev.tapedeck.devstack.LoopbackPorts;
import dev.tapedeck.devstack.Service;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.devstack.StackLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.file.PathUtils;

/**
 * The whole Tapedeck system, started once per test JVM and shared by every test in it: the dev
 * stack as a child process, then storage, converter, control and proxy as processes from their
 * packaged {@code quarkus-app}s, all on free loopback ports (HTTP and internal gRPC), with a fresh
 * temporary data folder and internal token. A
 * JVM shutdown hook stops the services, then the stack.
 *
 * <p>Needs {@code ./mvnw package} (or {@code make test}) to have built the dev stack and the
 * services; otherwise {@link #shared()} fails saying so. If starting fails once, every later call
 * fails the same way at once, rather than retrying for each test.
 */
public final class TapedeckSystem {
  /** Size of the session port window handed to the proxy. */
  public static final int PROXY_PORT_WINDOW = 50;

  private static final Duration STACK_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration ADMIN_KEY_WAIT = Duration.ofSeconds(10);

  private static TapedeckSystem shared;
  private static RuntimeException failure;

  private final Path repoRoot;
  private final Path dataDir;
  private final StackProcess stack;
  private final StackLayout layout;
  private final PortRange proxyPorts;
  private final Map<Service, ServiceProcess> services;

  private TapedeckSystem(
      Path repoRoot,
      Path dataDir,
      StackProcess stack,
      StackLayout layout,
      PortRange proxyPorts,
      Map<Service, ServiceProcess> services) {
    this.repoRoot = repoRoot;
    this.dataDir = dataDir;
    this.stack = stack;
    this.layout = layout;
    this.proxyPorts = proxyPorts;
    this.services = services;
  }

  /**
   * The system for this JVM, started on first call (which takes a while: Kafka and four JVMs).
   *
   * @throws IllegalStateException if something is not packaged or does not start; the message says
   *     what, with the end of its log
   */
  public static synchronized TapedeckSystem shared() {
    if (shared != null) {
      return shared;
    }
    if (failure != null) {
      throw new IllegalStateException(
          "The Tapedeck system failed to start earlier: " + failure.getMessage(), failure);
    }
    try {
      shared = start(RepoRoot.find());
      return shared;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private static TapedeckSystem start(Path repoRoot) {
    requirePackaged(repoRoot);
    Path dataDir = createDataDir();
    List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    Thread hook =
        new Thread(
            () -> {
              stopAll(started);
              deleteDataKeepingLogs(dataDir);
            },
            "tapedeck-system-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int kafkaPort = Ports.free();
      StackProcess stack =
          StackProcess.start(
              repoRoot, dataDir, kafkaPort, LoopbackPorts.freeExcept(kafkaPort), STACK_READY_TIMEOUT);
      started.add(stack);
      PortRange proxyPorts = Ports.freeBlock(PROXY_PORT_WINDOW);
      StackLayout layout =
          StackLayout.defaults(dataDir, stack.kafkaBootstrap(), stack.mongoUri())
              .withProxyPorts(proxyPorts.min(), proxyPorts.max());
      Set<Integer> chosen = new HashSet<>();
      for (Service service : Service.values()) {
        int port = freePortOutside(proxyPorts, chosen);
        chosen.add(port);
        layout = layout.withHttpPort(service, port);
        if (service.servesGrpc()) {
          int grpcPort = freePortOutside(proxyPorts, chosen);
          chosen.add(grpcPort);
          layout = layout.withGrpcPort(service, grpcPort);
        }
      }
      Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
      for (Service service : Service.values()) {
        ServiceProcess process = ServiceProcess.start(service, repoRoot, layout);
        started.add(process);
        services.put(service, process);
        try {
          process.awaitReady(SERVICE_READY_TIMEOUT);
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              service.module() + " failed to start: " + e.getMessage(), e);
        }
      }
      return new TapedeckSystem(repoRoot, dataDir, stack, layout, proxyPorts, services);
    } catch (RuntimeException e) {
      stopAll(started);
      Runtime.getRuntime().removeShutdownHook(hook);
      throw e;
    }
  }

  private static void requirePackaged(Path repoRoot) {
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(StackProcess.devstackJar(repoRoot))) {
      missing.add(repoRoot.relativize(StackProcess.devstackJar(repoRoot)).toString());
    }
    for (Service service : Service.values()) {
      if (!Files.isRegularFile(service.runnerJar(repoRoot))) {
        missing.add(repoRoot.relativize(service.runnerJar(repoRoot)).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Tapedeck is not packaged under "
              + repoRoot
              + " (missing "
              + String.join(", ", missing)
              + "). Run `./mvnw package -DskipTests` (or `make test`) first.");
    }
  }

  private static Path createDataDir() {
    try {
      return Files.createTempDirectory("tapedeck-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary data folder", e);
    }
  }

  /**
   * Deletes what the stopped system stored (Kafka's log segments, the store's file, the spool:
   * gigabytes after a suite) and keeps {@code logs/} for reading a failure afterwards; with
   * {@code -Dtapedeck.keep-test-data=true} everything stays.
   */
  private static void deleteDataKeepingLogs(Path dataDir) {
    if (Boolean.getBoolean("tapedeck.keep-test-data")) {
      return;
    }
    Path logs = dataDir.resolve("logs");
    try (java.util.stream.Stream<Path> children = Files.list(dataDir)) {
      for (Path child : children.filter(p -> !p.equals(logs)).toList()) {
        PathUtils.delete(child);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("[tapedeck testkit] could not delete " + dataDir + ": " + e);
    }
  }

  /** A free port outside the proxy window and not already chosen for another service. */
  private static int freePortOutside(PortRange range, Set<Integer> chosen) {
    while (true) {
      int port = Ports.free();
      if (!range.contains(port) && !chosen.contains(port)) {
        return port;
      }
    }
  }

  /** Stops in reverse start order: services (proxy first), then the stack. */
  private static void stopAll(List<AutoCloseable> started) {
    List<AutoCloseable> copy;
    synchronized (started) {
      copy = new ArrayList<>(started);
      started.clear();
    }
    Collections.reverse(copy);
    for (AutoCloseable closeable : copy) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.err.println("[tapedeck testkit] while stopping " + closeable + ": " + e);
      }
    }
  }

  /** {@code http://127.0.0.1:<port>} of control-service, the public API. */
  public String controlUrl() {
    return layout.url(Service.CONTROL);
  }

  /**
   * The admin API key control-service wrote to {@code <data>/admin-api-key}, waiting up to 10 s for
   * it.
   *
   * @throws IllegalStateException if the file does not appear
   */
  public String adminKey() {
    return AdminKeyFile.await(layout.adminKeyFile(), ADMIN_KEY_WAIT)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "control-service wrote no admin key to "
                        + layout.adminKeyFile()
                        + " within "
                        + ADMIN_KEY_WAIT.toSeconds()
                        + " s"));
  }

  /** The temporary data folder all services share (logs in {@code logs/}). */
  public Path dataDir() {
    return dataDir;
  }

  /** Kafka's {@code bootstrap.servers}. */
  public String kafkaBootstrap() {
    return stack.kafkaBootstrap();
  }

  /** MongoDB's connection string. */
  public String mongoUri() {
    return stack.mongoUri();
  }

  /**
   * The running service named {@code name}: {@code storage}, {@code converter}, {@code control},
   * {@code proxy}, or the module name ({@code control-service}). Tests may stop and restart it;
   * after {@link ServiceProcess#restart()}, call {@link ServiceProcess#awaitReady}.
   */
  public ServiceProcess service(String name) {
    return service(Service.named(name));
  }

  /** The running {@code service}. */
  public ServiceProcess service(Service service) {
    return services.get(service);
  }

  /** The secret every internal gRPC call carries (all services share it). */
  public String internalToken() {
    return layout.internalToken();
  }

  /** The session ports the proxy hands out. */
  public PortRange proxyPortRange() {
    return proxyPorts;
  }

  /** Every port, address and environment variable of this system. */
  public StackLayout layout() {
    return layout;
  }

  /** The repository the services were started from. */
  public Path repoRoot() {
    return repoRoot;
  }

  /** The dev stack process. */
  public StackProcess stack() {
    return stack;
  }
}
