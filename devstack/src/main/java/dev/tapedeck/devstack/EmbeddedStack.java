package dev.tapedeck.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * The infrastructure Tapedeck needs, on loopback, with data kept in one folder: a MongoDB-wire
 * server in this JVM and a real Kafka broker in a child JVM, with Tapedeck's topics created.
 *
 * <p>As a main class ({@code java -cp tapedeck-devstack.jar:lib/*
 * dev.tapedeck.devstack.EmbeddedStack [--data-dir DIR] [--kafka-port N] [--mongo-port N]
 * [--partitions N]}) it prints one {@link ReadyLine} on stdout when everything is up, then runs
 * until SIGTERM or SIGINT, when it stops Kafka and MongoDB and exits 0. It exits 1 with a message
 * on stderr if something cannot start (a port in use, for one) and 2 on a bad argument.
 */
public final class EmbeddedStack implements AutoCloseable {
  /** Default Kafka client port. */
  public static final int DEFAULT_KAFKA_PORT = 9092;

  /** Default MongoDB port. */
  public static final int DEFAULT_MONGO_PORT = 27017;

  /** Default partition count of the topics it creates. */
  public static final int DEFAULT_PARTITIONS = 3;

  private static final String USAGE =
      "usage: EmbeddedStack [--data-dir DIR] [--kafka-port N] [--mongo-port N] [--partitions N]";

  private final Options options;
  private final MongoWireServer mongo;
  private volatile KafkaBroker kafka;

  /**
   * What to start.
   *
   * @param dataDir the data folder (Kafka under {@code kafka/}, MongoDB under {@code mongo/}, logs
   *     under {@code logs/})
   * @param kafkaPort the Kafka client port on 127.0.0.1
   * @param mongoPort the MongoDB port on 127.0.0.1
   * @param partitions the partition count of topics created on this start
   */
  public record Options(Path dataDir, int kafkaPort, int mongoPort, int partitions) {
    /** The defaults: {@link DataDir}, 9092, 27017, 3 partitions. */
    public static Options defaults() {
      return new Options(
          DataDir.resolveAndCreate(), DEFAULT_KAFKA_PORT, DEFAULT_MONGO_PORT, DEFAULT_PARTITIONS);
    }
  }

  private EmbeddedStack(Options options, MongoWireServer mongo, KafkaBroker kafka) {
    this.options = options;
    this.mongo = mongo;
    this.kafka = kafka;
  }

  /**
   * Starts MongoDB, then Kafka, then creates the {@link Topics}; returns when all are usable.
   *
   * @throws StackStartException if something cannot start; what did start is stopped again
   */
  public static EmbeddedStack start(Options options) {
    if (options.partitions() < 1) {
      throw new IllegalArgumentException("partitions must be at least 1");
    }
    DataDir.create(options.dataDir());
    LoopbackPorts.requireFree(options.kafkaPort(), "Kafka", "--kafka-port");
    LoopbackPorts.requireFree(options.mongoPort(), "MongoDB wire", "--mongo-port");
    MongoWireServer mongo = MongoWireServer.start(options.dataDir(), options.mongoPort());
    KafkaBroker kafka = null;
    try {
      kafka = KafkaBroker.start(options.dataDir(), options.kafkaPort());
      kafka.createTopics(Topics.ALL, options.partitions());
      return new EmbeddedStack(options, mongo, kafka);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      mongo.close();
      throw e;
    }
  }

  /** The Kafka {@code bootstrap.servers}: {@code 127.0.0.1:<port>}. */
  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /** The MongoDB connection string: {@code mongodb://127.0.0.1:<port>}. */
  public String mongoUri() {
    return mongo.connectionString();
  }

  /** The data folder. */
  public Path dataDir() {
    return options.dataDir();
  }

  /** The options it was started with. */
  public Options options() {
    return options;
  }

  /**
   * Stops the Kafka broker alone (MongoDB keeps running), as an outage would; {@link #startKafka}
   * brings it back with its data. For tests of what the services do meanwhile.
   */
  public synchronized void stopKafka() {
    kafka.close();
  }

  /** Starts the Kafka broker again on its port, with the data it had; returns when it is ready. */
  public synchronized void startKafka() {
    kafka = KafkaBroker.start(options.dataDir(), options.kafkaPort());
  }

  /** The Kafka broker (its pid, log, startup time). */
  public KafkaBroker kafka() {
    return kafka;
  }

  /** The line that announces this stack. */
  public ReadyLine readyLine() {
    return new ReadyLine(kafkaBootstrap(), mongoUri());
  }

  /** Stops Kafka (controlled shutdown), then MongoDB. Idempotent. */
  @Override
  public void close() {
    try {
      kafka.close();
    } finally {
      mongo.close();
    }
  }

  @Override
  public String toString() {
    return "embedded stack (" + readyLine().format() + ")";
  }

  /** Runs the stack until SIGTERM/SIGINT; see the class description for flags and exit codes. */
  public static void main(String[] args) {
    quietJdkWarnings();
    Options options;
    try {
      options = parseOptions(args);
    } catch (IllegalArgumentException e) {
      System.err.println("tapedeck stack: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    StopOnExit stops = new StopOnExit().installHook("tapedeck-stack-stop", true);
    EmbeddedStack stack;
    try {
      stack = stops.add(start(options));
    } catch (RuntimeException e) {
      System.err.println("tapedeck stack: " + e.getMessage());
      stops.exit(1);
      return;
    }
    System.err.printf(
        "tapedeck stack: Kafka ready in %d ms (pid %d, log %s); data in %s%n",
        stack.kafka().startupTime().toMillis(),
        stack.kafka().pid(),
        stack.kafka().logFile(),
        stack.dataDir());
    System.out.println(stack.readyLine().format());
    System.out.flush();
    followCommands(stack);
    StopOnExit.blockForever();
  }

  /**
   * Reads commands from standard input until it closes: {@code kafka-stop} and {@code
   * kafka-start}, each answered on standard output with {@code tapedeck stack: kafka stopped} or
   * {@code tapedeck stack: kafka started} (or {@code ... failed: <why>}).
   */
  private static void followCommands(EmbeddedStack stack) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.trim();
        try {
          switch (command) {
            case "kafka-stop" -> {
              stack.stopKafka();
              System.out.println("tapedeck stack: kafka stopped");
            }
            case "kafka-start" -> {
              stack.startKafka();
              System.out.println("tapedeck stack: kafka started");
            }
            default -> System.out.println("tapedeck stack: unknown command " + command);
          }
        } catch (RuntimeException e) {
          System.out.println("tapedeck stack: " + command + " failed: " + e.getMessage());
        }
        System.out.flush();
      }
    } catch (IOException e) {
      // No usable standard input: nothing to follow.
    }
  }

  /**
   * Keeps Netty (under the MongoDB-wire server) off {@code sun.misc.Unsafe}, which recent JDKs warn
   * about on stderr, in a JVM started without {@link MongoWireServer#JVM_OPTIONS} (from an IDE, say);
   * those options allow it, as the store is much faster with it. Must run before Netty loads.
   */
  static void quietJdkWarnings() {
    if (System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
  }

  static Options parseOptions(String[] args) {
    Flags flags =
        Flags.parse(
            args, Set.of("--data-dir", "--kafka-port", "--mongo-port", "--partitions"), Set.of());
    Path dataDir = flags.path("--data-dir").orElseGet(DataDir::resolveAndCreate);
    return new Options(
        dataDir,
        flags.intValue("--kafka-port", DEFAULT_KAFKA_PORT),
        flags.intValue("--mongo-port", DEFAULT_MONGO_PORT),
        flags.intValue("--partitions", DEFAULT_PARTITIONS));
  }
}
