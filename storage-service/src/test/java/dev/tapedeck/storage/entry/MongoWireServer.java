package dev.tapedeck.storage.entry;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import dev.tapedeck.devstack.LoopbackPorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded stack's MongoDB-wire server (its indexed H2 store, its data file in the test's
 * temporary folder) on a free loopback port, and a real MongoDB sync client connected to it.
 */
final class MongoWireServer implements AutoCloseable {

  private final dev.tapedeck.devstack.MongoWireServer server;
  private final MongoClient client;
  private final List<MongoClient> watching = new ArrayList<>();

  /** Keeps its data under {@code dataDir} (a JUnit {@code @TempDir}, which removes it). */
  MongoWireServer(Path dataDir) {
    server = dev.tapedeck.devstack.MongoWireServer.start(dataDir, LoopbackPorts.free());
    client = MongoClients.create(server.connectionString());
  }

  MongoDatabase database(String name) {
    return client.getDatabase(name);
  }

  /** The database through a client of its own that tells {@code listener} every command it sends. */
  MongoDatabase database(String name, CommandListener listener) {
    MongoClient watched =
        MongoClients.create(
            MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.connectionString()))
                .addCommandListener(listener)
                .build());
    watching.add(watched);
    return watched.getDatabase(name);
  }

  @Override
  public void close() {
    watching.forEach(MongoClient::close);
    client.close();
    server.close();
  }
}
