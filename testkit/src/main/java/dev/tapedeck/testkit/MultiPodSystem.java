package dev.tapedeck.testkit;

import dev.tapedeck.devstack.AdminKeyFile;
import dev.tapedeck.devstack.LoopbackPorts;
import dev.tapedeck.devstack.Service;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.devstack.StackLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tapedeck as a cluster of pods would run it, on this machine, separate from {@link
 * TapedeckSystem#shared()}: its own dev stack (Kafka and the Mongo-wire server), one control and one
 * converter process, several storage processes in one Kafka consumer group, and proxy processes
 * added one by one, each bound to its own loopback address (127.0.0.2, 127.0.0.3, ...) so that all
 * of them can listen on a session's port, as pods do on their own IPs. It is separate because the
 * shared system's proxy binds its session ports on every address ({@code
 * tapedeck.proxy.bind-host} 0.0.0.0), where a load balancer on 127.0.0.1 could not bind them.
 *
 * <p>Control and converter reach storage over gRPC through a {@link HaproxyBalancer} in front of the
 * storage processes, as they would through a ClusterIP Service, so that they still reach one when
 * another is killed. Session ports are not balanced here: the test starts a balancer for the
 * session's port once it knows it.
 *
 * <p>Everything listens on free loopback ports; {@link #close()} (or a JVM shutdown hook, if the
 * test never gets there) stops it all.
 */
public final class MultiPodSystem implements AutoCloseable {
  /** Session ports control hands out: a few, since a test runs one or two sessions. */
  public static final int PROXY_PORT_WINDOW = 5;

  private static final Duration STACK_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path repoRoot;
  private final Path dataDir;
  private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
  private final Set<Integer> chosenPorts = Collections.synchronizedSet(new HashSet<>());
  private final Map<String, ServiceProcess> storages = new LinkedHashMap<>();
  private final Map<String, ServiceProcess> proxies = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Thread hook;
  private StackProcess stack;
  private PortRange proxyPorts;
  private StackLayout layout;
  private HaproxyBalancer storageBalancer;
  private ServiceProcess control;

  private MultiPodSystem(Path repoRoot, Path dataDir) {
    this.repoRoot = repoRoot;
    this.dataDir = dataDir;
    this.hook = new Thread(this::stopAll, "tapedeck-multipod-stop");
  }

  /**
   * Starts the stack, {@code storageCount} storage processes ({@code storageEnv} added to their
   * environment), the storage balancer, converter and control; returns once all are ready. Proxies
   * come with {@link #addProxy}.
   *
   * @throws IllegalStateException if something does not start; what did is stopped again
   */
  public static MultiPodSystem start(
      Path repoRoot, Path dataDir, int storageCount, Map<String, String> storageEnv) {
    MultiPodSystem system = new MultiPodSystem(repoRoot, dataDir);
    Runtime.getRuntime().addShutdownHook(system.hook);
    try {
      system.startAll(storageCount, storageEnv);
      return system;
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  private void startAll(int storageCount, Map<String, String> storageEnv) {
    int kafkaPort = Ports.free();
    int mongoPort = LoopbackPorts.freeExcept(kafkaPort);
    chosenPorts.addAll(List.of(kafkaPort, mongoPort));
    stack = StackProcess.start(repoRoot, dataDir, kafkaPort, mongoPort, STACK_READY_TIMEOUT);
    started.add(stack);
    proxyPorts = Ports.freeBlock(PROXY_PORT_WINDOW);
    StackLayout base =
        StackLayout.defaults(dataDir, stack.kafkaBootstrap(), stack.mongoUri())
            .withProxyPorts(proxyPorts.min(), proxyPorts.max());
    for (Service service : Service.values()) {
      base = base.withHttpPort(service, freePort());
      if (service.servesGrpc()) {
        base = base.withGrpcPort(service, freePort());
      }
    }
    layout = base;

    List<HaproxyBalancer.Server> storageServers = new ArrayList<>();
    for (int i = 1; i <= storageCount; i++) {
      String name = "storage-" + i;
      int grpcPort = freePort();
      storageServers.add(new HaproxyBalancer.Server(name, LoopbackPorts.HOST, grpcPort));
      ServiceProcess storage =
          ServiceProcess.start(
              Service.STORAGE,
              repoRoot,
              layout.withHttpPort(Service.STORAGE, freePort()).withGrpcPort(Service.STORAGE, grpcPort),
              name,
              storageEnv);
      started.add(storage);
      storages.put(name, storage);
    }
    // Control and converter call "storage" at the layout's storage gRPC port: the balancer's frontend.
    storageBalancer =
        HaproxyBalancer.start(
            dataDir.resolve("haproxy-storage"), layout.grpcPort(Service.STORAGE), storageServers);
    started.add(storageBalancer);
    ServiceProcess converter = ServiceProcess.start(Service.CONVERTER, repoRoot, layout);
    started.add(converter);
    for (ServiceProcess storage : storages.values()) {
      awaitReady(storage);
    }
    awaitReady(converter);
    control = ServiceProcess.start(Service.CONTROL, repoRoot, layout);
    started.add(control);
    awaitReady(control);
  }

  private int freePort() {
    while (true) {
      int port = Ports.free();
      if (!proxyPorts().contains(port) && chosenPorts.add(port)) {
        return port;
      }
    }
  }

  private PortRange proxyPorts() {
    return proxyPorts == null ? new PortRange(0, 0) : proxyPorts;
  }

  private static void awaitReady(ServiceProcess process) {
    try {
      process.awaitReady(SERVICE_READY_TIMEOUT);
    } catch (RuntimeException e) {
      throw new IllegalStateException(process.name() + " failed to start: " + e.getMessage(), e);
    }
  }

  /**
   * Starts a proxy process named {@code name} (also its {@code TAPEDECK_PROXY_ID} and log name)
   * whose session listeners bind {@code bindHost}, on a fresh HTTP port. Returns at once; see
   * {@link ServiceProcess#awaitReady}, which for a proxy means it has opened every running session's
   * port.
   */
  public ServiceProcess addProxy(String name, String bindHost) {
    ServiceProcess proxy =
        ServiceProcess.start(
            Service.PROXY,
            repoRoot,
            layout.withHttpPort(Service.PROXY, freePort()),
            name,
            Map.of("TAPEDECK_PROXY_ID", name, "TAPEDECK_PROXY_BIND_HOST", bindHost));
    started.add(proxy);
    proxies.put(name, proxy);
    return proxy;
  }

  /** The storage processes by name ({@code storage-1}, ...), in start order. */
  public Map<String, ServiceProcess> storages() {
    return Collections.unmodifiableMap(storages);
  }

  /** The proxy processes by name, in start order, killed ones included. */
  public Map<String, ServiceProcess> proxies() {
    synchronized (proxies) {
      return Map.copyOf(proxies);
    }
  }

  /**
   * The {@code tapedeck_storage_entries_stored_total} counter of a storage process: how many
   * entries it has written since it started. The scrape may wait up to 30 s: a storage process
   * run at a lower priority on a busy two-core CI machine has taken more than 5 s to answer it.
   */
  public static long storedCount(ServiceProcess storage) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(storage.url() + "/q/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response
        .body()
        .lines()
        .filter(l -> l.startsWith("tapedeck_storage_entries_stored_total"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The control service process. */
  public ServiceProcess control() {
    return control;
  }

  /** {@code http://127.0.0.1:<port>} of control-service. */
  public String controlUrl() {
    return layout.url(Service.CONTROL);
  }

  /** The admin key control-service wrote, waiting up to 10 s for it. */
  public String adminKey() {
    return AdminKeyFile.await(layout.adminKeyFile(), Duration.ofSeconds(10))
        .orElseThrow(() -> new IllegalStateException("control-service wrote no admin key"));
  }

  /** MongoDB's connection string. */
  public String mongoUri() {
    return stack.mongoUri();
  }

  /** The session ports control hands out. */
  public PortRange proxyPortRange() {
    return proxyPorts;
  }

  /** The layout (ports, environment) of this system. */
  public StackLayout layout() {
    return layout;
  }

  /** The data folder (logs in {@code logs/}, HAProxy's in {@code haproxy-*}). */
  public Path dataDir() {
    return dataDir;
  }

  /** The balancer in front of the storage processes' internal gRPC ports. */
  public HaproxyBalancer storageBalancer() {
    return storageBalancer;
  }

  /** Stops everything, last started first. Idempotent. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or ran.
    }
  }

  private void stopAll() {
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
        System.err.println("[tapedeck multipod] while stopping " + closeable + ": " + e);
      }
    }
  }
}
