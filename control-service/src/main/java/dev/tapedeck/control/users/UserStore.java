package dev.tapedeck.control.users;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Users in MongoDB (collection {@code users}), with key lookups cached in memory so an API call
 * costs no database round trip. Revoking a user drops it from the cache at once.
 */
@ApplicationScoped
public class UserStore {
  private final MongoCollection<Document> users;
  private final Map<String, Optional<User>> byKeyHash = new ConcurrentHashMap<>();

  public UserStore(
      MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
    this.users = mongo.getDatabase(database).getCollection("users");
  }

  public void save(User user) {
    users.insertOne(
        new Document("_id", user.id())
            .append("name", user.name())
            .append("keyHash", user.keyHash())
            .append("keyPrefix", user.keyPrefix())
            .append("createdAt", Date.from(user.createdAt())));
    byKeyHash.remove(user.keyHash());
  }

  public List<User> all() {
    List<User> result = new ArrayList<>();
    users.find().sort(Sorts.ascending("createdAt")).forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  /** The user holding the key with this hash. */
  public Optional<User> byKeyHash(String keyHash) {
    return byKeyHash.computeIfAbsent(
        keyHash,
        h -> Optional.ofNullable(users.find(Filters.eq("keyHash", h)).first()).map(UserStore::fromDocument));
  }

  public Optional<User> find(String id) {
    return Optional.ofNullable(users.find(Filters.eq("_id", id)).first()).map(UserStore::fromDocument);
  }

  public boolean delete(String id) {
    Optional<User> user = find(id);
    user.ifPresent(u -> byKeyHash.remove(u.keyHash()));
    return users.deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0;
  }

  private static User fromDocument(Document d) {
    return new User(
        d.getString("_id"),
        d.getString("name"),
        d.getString("keyHash"),
        d.getString("keyPrefix"),
        d.getDate("createdAt").toInstant());
  }
}
