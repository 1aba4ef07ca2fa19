package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A MongoDB-wire server on a free loopback port with the H2 backend the embedded stack uses, and a
 * real MongoDB sync client connected to it.
 */
final class MongoWireServer implements AutoCloseable {

  private final MongoServer server;
  private final MongoClient client;

  MongoWireServer() {
    server = new MongoServer(H2Backend.inMemory());
    server.bind("127.0.0.1", 0);
    client = MongoClients.create(server.getConnectionString());
  }

  MongoDatabase database(String name) {
    return client.getDatabase(name);
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }
}
