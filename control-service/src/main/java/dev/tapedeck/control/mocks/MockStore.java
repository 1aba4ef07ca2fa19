package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Mocks in MongoDB (collection {@code mocks}); the definition is kept as its JSON text. */
@ApplicationScoped
public class MockStore {
  private final MongoCollection<Document> mocks;
  private final ObjectMapper json;
  private final MockBroadcast broadcast;

  public MockStore(
      MongoClient mongo,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      ObjectMapper json,
      MockBroadcast broadcast) {
    this.mocks = mongo.getDatabase(database).getCollection("mocks");
    this.json = json;
    this.broadcast = broadcast;
  }

  /**
   * Inserts or replaces a mock, and tells the proxy pods that follow its set (and, when it moved,
   * its old set).
   */
  public void save(Mock mock) {
    Optional<Mock> before = find(mock.id());
    write(mock);
    broadcast.saved(before.orElse(null), mock);
  }

  private void write(Mock mock) {
    try {
      mocks.replaceOne(
          Filters.eq("_id", mock.id()),
          new Document("_id", mock.id())
              .append("ownerId", mock.ownerId())
              .append("namespace", mock.namespace())
              .append("tags", mock.tags())
              .append("priority", mock.priority())
              .append("chainId", mock.chainId())
              .append("sessionId", mock.sessionId())
              .append("createdAt", Date.from(mock.createdAt()))
              .append("updatedAt", Date.from(mock.updatedAt()))
              .append("definition", json.writeValueAsString(mock.definition()))
              .append("enabled", mock.enabled()),
          new ReplaceOptions().upsert(true));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A mock definition does not serialize", e);
    }
  }

  public Optional<Mock> find(String id) {
    return Optional.ofNullable(mocks.find(Filters.eq("_id", id)).first()).map(this::fromDocument);
  }

  /** The mocks of {@code ownerId} (all owners when null), in a namespace when it is not null. */
  public List<Mock> list(String ownerId, String namespace) {
    List<Bson> filters = new ArrayList<>();
    if (ownerId != null) {
      filters.add(Filters.eq("ownerId", ownerId));
    }
    if (namespace != null) {
      filters.add(Filters.eq("namespace", namespace));
    }
    List<Mock> result = new ArrayList<>();
    mocks
        .find(filters.isEmpty() ? new Document() : Filters.and(filters))
        .sort(Sorts.ascending("_id"))
        .forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  /** Deletes a mock; the pods following its set drop it. */
  public void delete(String id) {
    Optional<Mock> before = find(id);
    mocks.deleteOne(Filters.eq("_id", id));
    before.ifPresent(broadcast::deleted);
  }

  /** How many mocks {@code ownerId} has, in {@code namespace} when it is not null. */
  public long count(String ownerId, String namespace) {
    return mocks.countDocuments(
        namespace == null
            ? Filters.eq("ownerId", ownerId)
            : Filters.and(Filters.eq("ownerId", ownerId), Filters.eq("namespace", namespace)));
  }

  private Mock fromDocument(Document d) {
    try {
      return new Mock(
          d.getString("_id"),
          d.getString("ownerId"),
          d.getString("namespace"),
          d.getList("tags", String.class),
          d.getInteger("priority", 5),
          d.getString("chainId"),
          d.getString("sessionId"),
          d.getDate("createdAt").toInstant(),
          d.getDate("updatedAt").toInstant(),
          json.readTree(d.getString("definition")),
          d.getBoolean("enabled", true));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Mock " + d.get("_id") + " holds a definition that is not JSON", e);
    }
  }
}
