package dev.tapedeck.control.configs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.tapedeck.control.secrets.SecretBox;
import dev.tapedeck.control.secrets.Secrets;
import dev.tapedeck.control.session.StartRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Saved configs in MongoDB (collection {@code configs}). */
@ApplicationScoped
public class ConfigStore {
  private final MongoCollection<Document> configs;
  private final ObjectMapper json;
  private final SecretBox secrets;

  public ConfigStore(
      MongoClient mongo,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      ObjectMapper json,
      SecretBox secrets) {
    this.configs = mongo.getDatabase(database).getCollection("configs");
    this.json = json;
    this.secrets = secrets;
  }

  /** Saves {@code config} with its secret values encrypted (see {@link SecretBox}). */
  public void save(SavedConfig config) {
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = json.convertValue(Secrets.map(config.config(), secrets::seal), Map.class);
    configs.insertOne(
        new Document("_id", config.id())
            .append("ownerId", config.ownerId())
            .append("createdAt", Date.from(config.createdAt()))
            .append("config", new Document(fields)));
  }

  /** The configs {@code ownerId} saved, oldest first; every config when {@code ownerId} is null. */
  public List<SavedConfig> list(String ownerId) {
    List<SavedConfig> result = new ArrayList<>();
    configs
        .find(ownerId == null ? new Document() : Filters.eq("ownerId", ownerId))
        .sort(Sorts.ascending("createdAt"))
        .forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  public long count(String ownerId) {
    return configs.countDocuments(Filters.eq("ownerId", ownerId));
  }

  public Optional<SavedConfig> find(String id) {
    return Optional.ofNullable(configs.find(Filters.eq("_id", id)).first()).map(this::fromDocument);
  }

  public void delete(String id) {
    configs.deleteOne(Filters.eq("_id", id));
  }

  private SavedConfig fromDocument(Document d) {
    StartRequest config =
        Secrets.map(json.convertValue(d.get("config", Document.class), StartRequest.class), secrets::open);
    return new SavedConfig(
        d.getString("_id"), d.getString("ownerId"), config, d.getDate("createdAt").toInstant());
  }
}
