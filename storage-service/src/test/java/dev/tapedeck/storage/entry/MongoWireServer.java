package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.tapedeck.devstack.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded stack's MongoDB-wire server (its indexed H2 store, in a data file of its own in a
 * temporary folder) on a free loopback port, and a real MongoDB sync client connected to it.
 */
final class MongoWireServer implements AutoCloseable {

  private final Path dataDir;
  private final dev.tapedeck.devstack.MongoWireServer server;
  private final MongoClient client;

  MongoWireServer() {
    try {
      dataDir = Files.createTempDirectory("tapedeck-store-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = dev.tapedeck.devstack.MongoWireServer.start(dataDir, LoopbackPorts.free());
    client = MongoClients.create(server.connectionString());
  }

  MongoDatabase database(String name) {
    return client.getDatabase(name);
  }

  @Override
  public void close() {
    client.close();
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
