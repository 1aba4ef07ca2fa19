package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Hands out each session's entry sequence numbers (1, 2, 3, ...) from the {@code session_counters}
 * collection, one document per session.
 */
public final class SessionSequences {

  /** Name of the collection holding one counter per session. */
  public static final String COLLECTION = "session_counters";

  private static final String VALUE = "value";

  private final MongoCollection<Document> counters;

  /** Counters kept in {@code database}. */
  public SessionSequences(MongoDatabase database) {
    this.counters = database.getCollection(COLLECTION);
  }

  /** The last sequence number handed to {@code sessionId}; 0 before the first. */
  public long current(String sessionId) {
    Document counter = counters.find(Filters.eq("_id", sessionId)).first();
    return counter == null ? 0 : counter.get(VALUE, Number.class).longValue();
  }

  /** The next sequence number of {@code sessionId}, starting at 1. */
  public long next(String sessionId) {
    return reserve(sessionId, 1);
  }

  /**
   * Takes the next {@code count} sequence numbers of {@code sessionId} at once; returns the first,
   * the others follow it.
   */
  public long reserve(String sessionId, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    Document counter =
        counters.findOneAndUpdate(
            Filters.eq("_id", sessionId),
            Updates.inc(VALUE, (long) count),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
    return counter.get(VALUE, Number.class).longValue() - count + 1;
  }
}
