package dev.tapedeck.control.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.tapedeck.policy.ChaosSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The global chaos settings (mockd's {@code /chaos}). They travel to the proxy pods inside every
 * running session's policies and run through the same toxic engine as the session's own toxics.
 * Kept in the {@code settings} collection, so they survive a control-service restart.
 */
@ApplicationScoped
public class GlobalChaos {
  private static final String ID = "chaos";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MongoCollection<Document> settings;
  private volatile ChaosSettings current;

  public GlobalChaos(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
    this.settings = mongo.getDatabase(database).getCollection("settings");
  }

  public ChaosSettings current() {
    ChaosSettings c = current;
    if (c == null) {
      c = load();
      current = c;
    }
    return c;
  }

  public synchronized void set(ChaosSettings chaos) {
    try {
      settings.replaceOne(
          Filters.eq("_id", ID),
          new Document("_id", ID).append("json", JSON.writeValueAsString(chaos)),
          new ReplaceOptions().upsert(true));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Chaos settings do not serialize", e);
    }
    current = chaos;
  }

  private ChaosSettings load() {
    Document d = settings.find(Filters.eq("_id", ID)).first();
    if (d == null) {
      return ChaosSettings.OFF;
    }
    try {
      return JSON.readValue(d.getString("json"), ChaosSettings.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored chaos settings do not parse", e);
    }
  }
}
