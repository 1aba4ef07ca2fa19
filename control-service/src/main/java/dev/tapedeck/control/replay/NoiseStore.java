package dev.tapedeck.control.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The noise sets users edited ({@code PUT .../noise}), one per session, in the {@code replay_noise} collection. */
@ApplicationScoped
public class NoiseStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MongoCollection<Document> sets;

  public NoiseStore(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
    this.sets = mongo.getDatabase(database).getCollection("replay_noise");
  }

  /** The edited set of {@code sessionId}, or empty when it was never edited. */
  public Optional<NoiseSet> find(String sessionId) {
    Document d = sets.find(Filters.eq("_id", sessionId)).first();
    if (d == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(d.getString("json"), NoiseSet.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored noise set of session " + sessionId + " does not parse", e);
    }
  }

  public void save(String sessionId, NoiseSet set) {
    try {
      sets.replaceOne(
          Filters.eq("_id", sessionId),
          new Document("_id", sessionId).append("json", JSON.writeValueAsString(set)),
          new ReplaceOptions().upsert(true));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A noise set does not serialize", e);
    }
  }
}
