package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code server.properties} of the single-node KRaft broker: broker and controller in one
 * process, on loopback, every replication factor at 1.
 */
final class KafkaServerProperties {
  /** The broker's socket buffers, as the chart's {@code kafka.extraConfig} sets them. */
  static final int SOCKET_BUFFER_BYTES = 1024 * 1024;

  /** The log cleaner's offset map, as the chart's {@code kafka.extraConfig} sets it. */
  static final int CLEANER_DEDUPE_BUFFER_BYTES = 16 * 1024 * 1024;

  private KafkaServerProperties() {}

  /**
   * Writes the file for a broker on {@code port} with its controller on {@code controllerPort},
   * keeping its log segments in {@code logDir}.
   */
  static Path write(Path file, Path logDir, int port, int controllerPort) {
    String host = LoopbackPorts.HOST;
    String text =
        String.join(
            "\n",
            "# Written by the Tapedeck dev stack on every start; edits are overwritten.",
            "process.roles=broker,controller",
            "node.id=1",
            // Static quorum: the controller's port may change between starts without
            // reformatting, unlike a dynamic (--standalone) quorum that stores its endpoint.
            "controller.quorum.voters=1@" + host + ":" + controllerPort,
            "listeners=PLAINTEXT://"
                + host
                + ":"
                + port
                + ",CONTROLLER://"
                + host
                + ":"
                + controllerPort,
            "advertised.listeners=PLAINTEXT://" + host + ":" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logDir,
            "num.partitions=1",
            "default.replication.factor=1",
            "min.insync.replicas=1",
            "offsets.topic.replication.factor=1",
            // Fewer internal partitions than the defaults (50): much faster first start on a
            // laptop, plenty for one broker.
            "offsets.topic.num.partitions=5",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=5",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "share.coordinator.state.topic.num.partitions=1",
            "group.initial.rebalance.delay.ms=0",
            // Write each offset commit at once: the default holds it up to 5 ms for others to
            // join, and storage commits each stored batch before reading the next.
            "group.coordinator.append.linger.ms=0",
            "auto.create.topics.enable=true",
            "num.io.threads=4",
            "num.network.threads=2",
            "background.threads=4",
            "log.retention.hours=168",
            // Room for a whole produce request (a batch of captures, 200 KiB to 1 MiB) in one
            // socket buffer, and fetch responses in fewer, larger writes: with Kafka's 100 KiB,
            // each request crossed in parts, each waiting for a network thread on a busy machine.
            "socket.receive.buffer.bytes=" + SOCKET_BUFFER_BYTES,
            "socket.send.buffer.bytes=" + SOCKET_BUFFER_BYTES,
            // The log cleaner's offset map, on the heap for the broker's life: 128 MiB by default,
            // for compacted topics that here are only the consumer offsets (a few hundred keys).
            // Kept live, it held the old generation above the collector's threshold, which then
            // marked the whole heap every few seconds with pauses on both cores.
            "log.cleaner.dedupe.buffer.size=" + CLEANER_DEDUPE_BUFFER_BYTES,
            "");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
