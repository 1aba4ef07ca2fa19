package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one node), running in its own
 * child JVM from the Kafka jars on this JVM's class path.
 *
 * <p>Its files live under {@code <data>/kafka/} ({@code server.properties}, {@code cluster.id},
 * segments in {@code data/}) and persist across restarts; its output goes to {@code
 * <data>/logs/kafka.log}. The child exits by itself if this JVM dies (see {@link ParentWatch}).
 */
public final class KafkaBroker implements AutoCloseable {
  /**
   * The broker's heap and collector. G1, not the serial collector: under 64 KiB captures the broker
   * promoted some 25 MiB of request buffers at every young collection, and the serial collector
   * stopped it for a whole-heap collection every 2 to 4 seconds (up to 723 ms; 8.4 s of pauses over
   * one benchmark run, against 3.7 s and at most 70 ms with G1). While the broker stands still no
   * capture is acknowledged, so the proxy holds requests back. See docs/development.md, thirteenth
   * pass.
   */
  static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

  /** How long {@link #start} waits for the broker to answer an admin client. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path logFile;
  private Duration startupTime = Duration.ZERO;

  private KafkaBroker(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * Formats storage on first use, starts the broker on 127.0.0.1:{@code port} (its controller on
   * another free port) and returns once an admin client can describe the cluster.
   *
   * @throws StackStartException if a port is taken, the broker exits, or it is not ready within
   *     {@link #READY_TIMEOUT}; the message carries the end of its log
   */
  public static KafkaBroker start(Path dataDir, int port) {
    LoopbackPorts.requireFree(port, "Kafka", "--kafka-port");
    long started = System.nanoTime();
    Path kafkaDir = dataDir.resolve("kafka");
    Path segments = kafkaDir.resolve("data");
    Path log = LogFiles.of(dataDir, "kafka");
    LogFiles.rotate(log);
    int controllerPort = LoopbackPorts.freeExcept(port);
    Path config =
        KafkaServerProperties.write(
            kafkaDir.resolve("server.properties"), segments, port, controllerPort);
    KafkaStorage.formatIfNeeded(kafkaDir, segments, config, log);
    Process process = launch(config, log);
    KafkaBroker broker = new KafkaBroker(process, port, log);
    try {
      broker.awaitReady(READY_TIMEOUT);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    broker.startupTime = Duration.ofNanos(System.nanoTime() - started);
    return broker;
  }

  private static Process launch(Path config, Path log) {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.javaBinary());
    command.addAll(JVM_OPTIONS);
    command.addAll(ChildJvm.quietOptions());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    command.add("-cp");
    command.add(ChildJvm.classpath());
    command.addAll(ChildJvm.watchedMain("kafka.Kafka"));
    command.add(config.toString());
    try {
      Files.createDirectories(log.getParent());
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Kafka broker process", e);
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      // Wait for the listener first: an admin client started earlier logs a warning per retry.
      while (!accepts(port)) {
        checkAlive();
        checkDeadline(deadline, timeout);
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackStartException("Interrupted while waiting for Kafka", e);
    }
    try (Admin admin = KafkaAdmins.create(bootstrapServers())) {
      while (true) {
        checkAlive();
        try {
          if (!admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
              .nodes()
              .get(3, TimeUnit.SECONDS)
              .isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Not up yet.
        }
        checkDeadline(deadline, timeout);
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackStartException("Interrupted while waiting for Kafka", e);
    }
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      String tail = LogTail.of(logFile, 40);
      throw new StackStartException(
          "The Kafka broker exited (code "
              + process.exitValue()
              + ") while starting. Log "
              + logFile
              + ":\n"
              + tail
              + ChildJvm.classpathHint(tail));
    }
  }

  private void checkDeadline(long deadline, Duration timeout) {
    if (System.nanoTime() > deadline) {
      throw new StackStartException(
          "The Kafka broker on "
              + bootstrapServers()
              + " was not ready within "
              + timeout.toSeconds()
              + " s. Log "
              + logFile
              + ":\n"
              + LogTail.of(logFile, 40));
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LoopbackPorts.HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates the topics that are missing with {@code partitions} partitions each, and waits until
   * their partitions have leaders.
   */
  public void createTopics(List<String> topics, int partitions) {
    try (Admin admin = KafkaAdmins.create(bootstrapServers())) {
      KafkaTopicSetup.ensure(admin, topics, partitions, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackStartException("Interrupted while creating Kafka topics", e);
    }
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return LoopbackPorts.HOST + ":" + port;
  }

  /** The broker's client port. */
  public int port() {
    return port;
  }

  /** The broker process's pid. */
  public long pid() {
    return process.pid();
  }

  /** Where the broker's output goes. */
  public Path logFile() {
    return logFile;
  }

  /** How long {@link #start} took, from formatting to an answering admin client. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the broker: SIGTERM (a controlled shutdown), then a kill after 20 s. Idempotent. */
  @Override
  public void close() {
    ProcessStopper.stop(process, STOP_GRACE);
  }
}
