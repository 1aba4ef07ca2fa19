package dev.tapedeck.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The four Tapedeck services, in the order they are started. */
public enum Service {
  /**
   * Stores entries from Kafka into MongoDB; serves them over gRPC. Runs at a lower CPU priority
   * (see {@link #niceness}), with the proxy's heap: a poll of large captures and the documents built
   * from them outlive young collections, which at 256 MiB cost it a third of its CPU per 64 KiB
   * entry. Its collector is the parallel one: storage works in batches that nobody waits on by the
   * millisecond, and under G1 every Kafka fetch (megabytes in one array) was a humongous
   * allocation that started a concurrent cycle, half its collections at 64 KiB.
   */
  STORAGE(
      "storage",
      "storage-service",
      5772,
      5792,
      ingestNiceness(System.getenv(Service.INGEST_NICENESS_ENV)),
      512,
      List.of("-XX:+UseParallelGC"),
      false),
  /** Turns entries into HAR, WireMock, Postman and other outputs. */
  CONVERTER("converter", "converter-service", 5773, 5793, 0, 256),
  /** The public REST API; hands sessions to the proxies over gRPC. */
  CONTROL("control", "control-service", 5770, 5790, 0, 256),
  /**
   * Listens on session ports and captures traffic into Kafka; connects to control. Serves no gRPC.
   * Its heap is twice control's and converter's: captures waiting for Kafka's acknowledgement are
   * kept (to spool them if Kafka refuses), and at 256 MiB those of a 64 KiB load were copied from
   * young collection to young collection (about 10 ms each, several a second), which cost a fifth
   * of its throughput. Its heap is also fixed at that size from the start ({@link #fixedHeap}), and
   * Netty in it allocates direct buffers without zeroing them ({@link #UNZEROED_NETTY_BUFFERS}).
   */
  PROXY("proxy", "proxy-service", 5771, 0, 0, 512, unzeroedNettyBuffers(), true);

  /**
   * Options that let Netty allocate memory without the JDK zeroing it first: direct memory for its
   * pool (the constructor of a direct buffer over memory Netty allocated, opened to it) and heap
   * arrays of 1 KiB or more (the JDK's {@code allocateUninitializedArray}, exported to it). Without
   * them every new 4 MiB chunk of the pool came from {@code ByteBuffer.allocateDirect}, which writes
   * zeros over it (4% of the proxy's samples under 64 KiB recording, {@code Bits.setMemory}), and
   * each array a body is copied into, by Vert.x or by the capture, was zeroed before the copy
   * overwrote it.
   */
  public static final List<String> UNZEROED_NETTY_BUFFERS = unzeroedNettyBuffers();

  // A method, not the field: the constants above are built before any static field is set.
  private static List<String> unzeroedNettyBuffers() {
    return List.of(
        "-Dio.netty.tryReflectionSetAccessible=true",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
  }

  private final String shortName;
  private final String module;
  private final int defaultHttpPort;
  private final int defaultGrpcPort;
  private final int niceness;
  private final int heapMib;
  /**
   * Options of the service's own, after its heap: storage's collector, the proxy's Netty options;
   * none for the JVM's defaults.
   */
  private final List<String> ownOptions;
  /**
   * Whether the heap starts at its cap ({@code -Xms} = {@code -Xmx}): the proxy's does. G1 otherwise
   * sized it down to about 200 MiB of the proxy's 512 between collections, and under 64 KiB
   * recording, the captures waiting for Kafka in the old generation, started a concurrent cycle
   * every second and a half, each with a remark pause of 4-23 ms, on the process whose pauses a
   * user's requests wait out. At its cap, young collections come half as often and those cycles less
   * often, and the proxy spent less CPU per request (docs/configuration.md, Memory).
   */
  private final boolean fixedHeap;

  Service(
      String shortName, String module, int defaultHttpPort, int defaultGrpcPort, int niceness, int heapMib) {
    this(shortName, module, defaultHttpPort, defaultGrpcPort, niceness, heapMib, List.of(), false);
  }

  Service(
      String shortName,
      String module,
      int defaultHttpPort,
      int defaultGrpcPort,
      int niceness,
      int heapMib,
      List<String> ownOptions,
      boolean fixedHeap) {
    this.shortName = shortName;
    this.module = module;
    this.defaultHttpPort = defaultHttpPort;
    this.defaultGrpcPort = defaultGrpcPort;
    this.niceness = niceness;
    this.heapMib = heapMib;
    this.ownOptions = ownOptions;
    this.fixedHeap = fixedHeap;
  }

  /**
   * The JVM options the dev stack starts the service with: its heap cap, for the proxy the same
   * initial heap and Netty's unzeroed buffers, and, for storage, its collector.
   */
  public List<String> jvmOptions() {
    return jvmOptions(heapMib);
  }

  /** {@link #jvmOptions()} with another heap cap: a test's smaller heap, say, on the same collector. */
  public List<String> jvmOptions(int heapMib) {
    List<String> options = new ArrayList<>(List.of("-Xmx" + heapMib + "m"));
    if (fixedHeap) {
      options.add("-Xms" + heapMib + "m");
    }
    options.addAll(ownOptions);
    return List.copyOf(options);
  }

  /** {@code storage}, {@code converter}, {@code control} or {@code proxy}: names its log file. */
  public String shortName() {
    return shortName;
  }

  /** The Maven module folder under the repository root, e.g. {@code control-service}. */
  public String module() {
    return module;
  }

  /** The HTTP port {@code make run} uses (REST, health, metrics; never gRPC). */
  public int defaultHttpPort() {
    return defaultHttpPort;
  }

  /** Whether the service serves gRPC (on its internal port): all but the proxy. */
  public boolean servesGrpc() {
    return defaultGrpcPort != 0;
  }

  /**
   * The internal gRPC port {@code make run} uses: 5790 control, 5792 storage, 5793 converter.
   *
   * @throws IllegalStateException for the proxy, which serves no gRPC
   */
  public int defaultGrpcPort() {
    if (!servesGrpc()) {
      throw new IllegalStateException(module + " serves no gRPC");
    }
    return defaultGrpcPort;
  }

  /** The environment variable that sets {@link #niceness} for storage: 0 to 19, 10 when unset. */
  public static final String INGEST_NICENESS_ENV = "TAPEDECK_INGEST_NICENESS";

  /**
   * How much lower than the stack's own the CPU priority of the service's process is on one
   * machine (Unix {@code nice}): 10 for storage ({@value #INGEST_NICENESS_ENV} sets another, 0 for
   * none), 0 for the others. On a laptop or a CI machine every process shares the same cores, and
   * ingestion is the one part that may fall behind for a while (the captures wait in Kafka,
   * durably): with storage and the MongoDB-wire store ({@link MongoWireServer#NICENESS}) at a lower
   * priority, the proxy, on the hot path of the user's tests, and Kafka, which takes its captures,
   * run first under load, and ingestion catches up as soon as the cores are free. On Kubernetes
   * each service has its own pod and CPU requests; this is the embedded stack's equivalent.
   */
  public int niceness() {
    return niceness;
  }

  /** The niceness {@value #INGEST_NICENESS_ENV} set to {@code value} asks for (null: unset). */
  static int ingestNiceness(String value) {
    if (value == null || value.isBlank()) {
      return 10;
    }
    try {
      int niceness = Integer.parseInt(value.trim());
      if (niceness >= 0 && niceness <= 19) {
        return niceness;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(INGEST_NICENESS_ENV + " must be a whole number from 0 to 19, not " + value);
  }

  /** {@code <repoRoot>/<module>/target/quarkus-app/quarkus-run.jar}. */
  public Path runnerJar(Path repoRoot) {
    return repoRoot
        .resolve(module)
        .resolve("target")
        .resolve("quarkus-app")
        .resolve("quarkus-run.jar");
  }

  /** The service whose short name or module is {@code name}. */
  public static Service named(String name) {
    for (Service service : values()) {
      if (service.shortName.equals(name) || service.module.equals(name)) {
        return service;
      }
    }
    throw new IllegalArgumentException("no Tapedeck service named " + name);
  }
}
