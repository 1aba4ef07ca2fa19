package dev.tapedeck.devstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import dev.tapedeck.devstack.mongo.IndexedH2Backend;
import dev.tapedeck.devstack.mongo.StoreFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A MongoDB-wire server in this JVM (de.bwaldvogel mongo-java-server), storing its data in one H2
 * file, {@code <data>/mongo/tapedeck.mv}, so documents survive restarts. It announces MongoDB 5.0
 * (wire version 8), the oldest the current MongoDB Java driver accepts. Non-unique indexes serve
 * equality lookups ({@link IndexedH2Backend}), so a session's entries are found without reading the
 * whole store.
 */
public final class MongoWireServer implements AutoCloseable {
  /**
   * JVM options for a process that hosts the server (the dev stack's; {@code make run} passes the
   * same, printed by {@link #main} with {@code --jvm-options}): a 384 MiB heap holds the store's
   * page cache ({@link StoreFormat#CACHE_MIB}), its unsaved changes and the requests in flight, and
   * keeps the process under 1 GB resident with a million entries stored; the serial collector is the
   * smallest.
   *
   * <p>Netty, under the server, also gets {@code sun.misc.Unsafe} and the direct buffer constructor.
   * Without them it zeroes every buffer it allocates, and a request of tens of MiB (storage's insert
   * of 64 KiB captures) was allocated, zeroed and copied several times as it arrived. From JDK 24 on
   * the JDK warns on stderr about {@code Unsafe} unless it is told it is allowed.
   */
  public static final List<String> JVM_OPTIONS = jvmOptions(Runtime.version().feature());

  static List<String> jvmOptions(int javaFeature) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dio.netty.noUnsafe=false",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "--add-opens=java.base/java.nio=ALL-UNNAMED"));
    if (javaFeature >= 24) {
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    return List.copyOf(options);
  }

  private final MongoServer server;
  private final int port;
  private boolean closed;

  private MongoWireServer(MongoServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * How far below the hosting JVM's CPU priority the server's threads run (see {@link
   * LowerPriority}), as storage-service, the only client, does ({@link Service#niceness}): on one
   * machine the proxy and Kafka run first under load, and the store catches up after. Its work is
   * not only storage's requests: the file's writer and serializer threads commit and compact in the
   * background.
   */
  public static final int NICENESS = Service.STORAGE.niceness();

  /**
   * Opens (or creates) the data file and listens on 127.0.0.1:{@code port}, on threads at {@link
   * #NICENESS} below this JVM's priority.
   *
   * @throws StackStartException if the port is taken or another process holds the data file
   */
  public static MongoWireServer start(Path dataDir, int port) {
    return LowerPriority.call("mongo-wire-start", NICENESS, () -> startHere(dataDir, port));
  }

  private static MongoWireServer startHere(Path dataDir, int port) {
    LoopbackPorts.requireFree(port, "MongoDB wire", "--mongo-port");
    Path file = dataFile(dataDir);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + file.getParent(), e);
    }
    IndexedH2Backend backend;
    try {
      backend = new IndexedH2Backend(StoreFormat.open(file));
    } catch (RuntimeException e) {
      throw new StackStartException(
          "Cannot open the MongoDB data file "
              + file
              + " (is another Tapedeck stack using this data folder?): "
              + e.getMessage(),
          e);
    }
    backend.version(ServerVersion.MONGO_5_0);
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(LoopbackPorts.HOST, port);
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw new StackStartException(
          "Cannot listen on " + LoopbackPorts.HOST + ":" + port + " for MongoDB: " + e.getMessage(),
          e);
    }
    return new MongoWireServer(server, port);
  }

  /** The H2 file that holds the documents: {@code <data>/mongo/tapedeck.mv}. */
  public static Path dataFile(Path dataDir) {
    return dataDir.resolve("mongo").resolve("tapedeck.mv");
  }

  /** {@code mongodb://127.0.0.1:<port>}. */
  public String connectionString() {
    return "mongodb://" + LoopbackPorts.HOST + ":" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /**
   * Runs the server alone until SIGTERM/SIGINT: {@code MongoWireServer --data-dir DIR --port N}.
   * Prints {@code MONGO-WIRE-READY mongodb://127.0.0.1:<port>} on stdout once it listens. For
   * measuring the store by itself (the store benchmark); the dev stack runs it in its own JVM.
   */
  public static void main(String[] args) {
    Flags flags =
        Flags.parse(args, java.util.Set.of("--data-dir", "--port"), java.util.Set.of("--jvm-options"));
    if (flags.has("--jvm-options")) {
      // For make run, which starts the dev stack's JVM itself.
      System.out.println(String.join(" ", JVM_OPTIONS));
      return;
    }
    EmbeddedStack.quietJdkWarnings();
    Path dataDir = flags.path("--data-dir").orElseGet(DataDir::resolveAndCreate);
    StopOnExit stops = new StopOnExit().installHook("mongo-wire-stop", true);
    MongoWireServer server;
    try {
      server = stops.add(start(dataDir, flags.intValue("--port", EmbeddedStack.DEFAULT_MONGO_PORT)));
    } catch (RuntimeException e) {
      System.err.println("mongo-wire: " + e.getMessage());
      stops.exit(1);
      return;
    }
    System.out.println("MONGO-WIRE-READY " + server.connectionString());
    System.out.flush();
    StopOnExit.blockForever();
  }

  /** Stops listening and closes the data file, writing what is pending. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.shutdown();
    }
  }
}
