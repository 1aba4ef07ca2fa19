package dev.tapedeck.storage.entry;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.bson.Document;

/**
 * The highest offset of each partition whose records are stored, kept in the {@code
 * ingested_offsets} collection (one small document per partition).
 *
 * <p>Kafka redelivers what was not committed. The entry id check alone would store a redelivered
 * exchange again if the cap evicted it (or its session was cleared) in the meantime; records at or
 * below this mark are skipped before that can happen.
 */
public final class IngestedOffsets {

  /** Name of the collection holding one offset per partition. */
  public static final String COLLECTION = "ingested_offsets";

  private static final String OFFSET = "offset";

  private final MongoCollection<Document> offsets;

  /** Offsets kept in {@code database}. */
  public IngestedOffsets(MongoDatabase database) {
    this.offsets = database.getCollection(COLLECTION);
  }

  /** The highest stored offset of each partition key; absent when none was stored. */
  Map<String, Long> load(Collection<String> partitionKeys) {
    Map<String, Long> marks = new HashMap<>();
    for (Document d : offsets.find(Filters.in("_id", partitionKeys))) {
      marks.put(d.getString("_id"), d.get(OFFSET, Number.class).longValue());
    }
    return marks;
  }

  /** Raises each partition's mark to the given offset (never lowers it), in one request. */
  void advance(Map<String, Long> highestOffsets) {
    if (highestOffsets.isEmpty()) {
      return;
    }
    List<UpdateOneModel<Document>> updates = new ArrayList<>(highestOffsets.size());
    highestOffsets.forEach(
        (key, offset) ->
            updates.add(
                new UpdateOneModel<>(
                    Filters.eq("_id", key),
                    Updates.max(OFFSET, offset),
                    new UpdateOptions().upsert(true))));
    offsets.bulkWrite(updates, new BulkWriteOptions().ordered(false));
  }
}
