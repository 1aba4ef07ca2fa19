package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * Formats the broker's log folder once, on the first start, with Kafka's own storage tool run in a
 * child JVM. The cluster id is kept in {@code <data>/kafka/cluster.id}; later starts find {@code
 * meta.properties} in the log folder and reuse what is there.
 */
final class KafkaStorage {
  private static final long FORMAT_TIMEOUT_SECONDS = 60;

  private KafkaStorage() {}

  /** Whether {@code logDir} has already been formatted. */
  static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve("meta.properties"));
  }

  /** Formats {@code logDir} for {@code config} unless already done; returns the cluster id. */
  static String formatIfNeeded(Path kafkaDir, Path logDir, Path config, Path log) {
    Path idFile = kafkaDir.resolve("cluster.id");
    try {
      if (isFormatted(logDir)) {
        return Files.isRegularFile(idFile) ? Files.readString(idFile).trim() : "";
      }
      String clusterId =
          Files.isRegularFile(idFile)
              ? Files.readString(idFile).trim()
              : Uuid.randomUuid().toString();
      Files.writeString(idFile, clusterId + "\n");
      runStorageTool(clusterId, config, log);
      return clusterId;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the Kafka folder " + kafkaDir, e);
    }
  }

  private static void runStorageTool(String clusterId, Path config, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.javaBinary());
    command.add("-Xmx256m");
    command.addAll(ChildJvm.quietOptions());
    command.add("-cp");
    command.add(ChildJvm.classpath());
    command.addAll(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            clusterId,
            "--config",
            config.toString(),
            "--ignore-formatted"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(FORMAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new StackStartException(
            "Formatting Kafka storage took over "
                + FORMAT_TIMEOUT_SECONDS
                + " s. Log "
                + log
                + ":\n"
                + LogTail.of(log, 30));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StackStartException("Interrupted while formatting Kafka storage", e);
    }
    if (process.exitValue() != 0) {
      String tail = LogTail.of(log, 30);
      throw new StackStartException(
          "Formatting Kafka storage failed (exit "
              + process.exitValue()
              + "). Log "
              + log
              + ":\n"
              + tail
              + ChildJvm.classpathHint(tail));
    }
  }
}
