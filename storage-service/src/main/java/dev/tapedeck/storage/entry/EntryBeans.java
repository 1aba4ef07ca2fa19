package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.tapedeck.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain entry classes to the MongoDB client Quarkus configures. */
@ApplicationScoped
public class EntryBeans {

  @Produces
  @ApplicationScoped
  EntryRepository repository(
      MongoClient client,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      StorageConfig config) {
    return new EntryRepository(database(client, database), config.storage().bodyOffloadBytes());
  }

  @Produces
  @ApplicationScoped
  EntryWriter writer(
      MongoClient client,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      EntryRepository repository,
      StorageConfig config) {
    MongoDatabase db = database(client, database);
    SessionSequences sequences = new SessionSequences(db);
    return new EntryWriter(
        repository,
        sequences,
        new IngestedOffsets(db),
        new SessionCap(repository, sequences, config.storage().maxEntriesPerSession()),
        Clock.systemUTC());
  }

  private static MongoDatabase database(MongoClient client, String name) {
    return client.getDatabase(name);
  }
}
