package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.tapedeck.devstack.LoopbackPorts;
import java.nio.file.Path;

/**
 * The embedded stack's MongoDB-wire server (its indexed H2 store, its data file in the test's
 * temporary folder) on a free loopback port, and a real MongoDB sync client connected to it.
 */
final class MongoWireServer implements AutoCloseable {

  private final dev.tapedeck.devstack.MongoWireServer server;
  private final MongoClient client;

  /** Keeps its data under {@code dataDir} (a JUnit {@code @TempDir}, which removes it). */
  MongoWireServer(Path dataDir) {
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
  }
}
