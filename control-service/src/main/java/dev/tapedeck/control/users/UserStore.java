package dev.tapedeck.control.users;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Users in MongoDB (collection {@code users}, a unique index on {@code keyHash}), with key lookups
 * cached in memory (see {@link KeyCache}: bounded, with a TTL, no negative caching). Deleting a
 * user revokes its key in the cache before and after the database delete, so no request that
 * starts after the delete returns is let in.
 */
@ApplicationScoped
public class UserStore {
  private final MongoCollection<Document> users;
  private final KeyCache byKeyHash;

  public UserStore(
      MongoClient mongo,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      @ConfigProperty(name = "tapedeck.auth.key-cache.max-entries") int cacheMaxEntries,
      @ConfigProperty(name = "tapedeck.auth.key-cache.ttl") Duration cacheTtl) {
    this.users = mongo.getDatabase(database).getCollection("users");
    // One user per key: a second insert of the same hash fails instead of making a key ambiguous.
    this.users.createIndex(Indexes.ascending("keyHash"), new IndexOptions().unique(true).name("keyHash_unique"));
    this.byKeyHash = new KeyCache(cacheMaxEntries, cacheTtl, System::nanoTime);
  }

  public void save(User user) {
    users.insertOne(
        new Document("_id", user.id())
            .append("name", user.name())
            .append("keyHash", user.keyHash())
            .append("keyPrefix", user.keyPrefix())
            .append("createdAt", Date.from(user.createdAt())));
  }

  public List<User> all() {
    List<User> result = new ArrayList<>();
    users.find().sort(Sorts.ascending("createdAt")).forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  /** The user holding the key with this hash. */
  public Optional<User> byKeyHash(String keyHash) {
    return byKeyHash.get(
        keyHash,
        h -> Optional.ofNullable(users.find(Filters.eq("keyHash", h)).first()).map(UserStore::fromDocument));
  }

  public Optional<User> find(String id) {
    return Optional.ofNullable(users.find(Filters.eq("_id", id)).first()).map(UserStore::fromDocument);
  }

  /** Deletes the user; its key is refused from before this returns, on this control process. */
  public boolean delete(String id) {
    Optional<User> user = find(id);
    user.ifPresent(u -> byKeyHash.revoke(u.keyHash()));
    boolean deleted = users.deleteOne(Filters.eq("_id", id)).getDeletedCount() > 0;
    // Again after the delete: a lookup that read the user between the first revoke and the delete
    // must not leave it cached.
    user.ifPresent(u -> byKeyHash.revoke(u.keyHash()));
    return deleted;
  }

  /** How many keys the cache holds now. */
  public int cachedKeys() {
    return byKeyHash.size();
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
