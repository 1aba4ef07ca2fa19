package dev.tapedeck.devstack.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.devstack.mongo.StoreFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the embedded Mongo-wire server, with its data file on disk. */
class EmbeddedStoreContractTest extends StoreContract {
  @TempDir Path dataDir;
  private MongoWireServer server;
  private int port;

  @Override
  void startStore() {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = MongoWireServer.start(dataDir, port);
  }

  @Override
  void stopStore() {
    server.close();
  }

  @Override
  String connectionString() {
    return server.connectionString();
  }

  @Override
  boolean restart() {
    server.close();
    server = MongoWireServer.start(dataDir, port);
    return true;
  }

  @Test
  void indexesAreKeptInTheDataFileSoAStartReadsThemAsTheyAre() {
    fill(2, 25);
    entries.deleteMany(Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 5)));
    server.close();
    // The file holds the (sessionId, seq) index with a key per stored entry: the server opens it
    // as it is (mongo-java-server builds an index from the documents only when it is empty).
    MVStore store = StoreFormat.open(MongoWireServer.dataFile(dataDir));
    try {
      String name =
          store.getMapNames().stream()
              .filter(n -> n.equals("tapedeck_contract.entries._index_sessionId_1_seq_1"))
              .findFirst()
              .orElseThrow();
      assertThat(store.openMap(name).sizeAsLong()).isEqualTo(45);
    } finally {
      store.close();
    }
    server = MongoWireServer.start(dataDir, port);
  }
}
