package dev.tapedeck.devstack.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The store contract against a real MongoDB (7.0, in a container through Testcontainers), to
 * check that the embedded server answers as MongoDB does. Skipped where no Docker engine is
 * reachable.
 */
class MongoDbStoreContractTest extends StoreContract {
  private static MongoDBContainer mongo;

  @BeforeAll
  static void startMongo() {
    assumeTrue(dockerAvailable(), "no Docker engine: the real-MongoDB run of the contract is skipped");
    mongo = new MongoDBContainer("mongo:7.0");
    mongo.start();
  }

  @AfterAll
  static void stopMongo() {
    if (mongo != null) {
      mongo.stop();
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  String connectionString() {
    return mongo.getConnectionString();
  }

  @Override
  boolean restart() {
    return false; // a restarted container comes back on another port
  }
}
