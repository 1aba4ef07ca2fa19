package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A non-unique index for mongo-java-server, held in memory: it maps each value of the index's
 * first key field to the positions of the documents holding it, so a query that pins that field to
 * a value ({@code {sessionId: "s1"}}, {@code {$eq: ...}}, {@code {$in: [...]}}, also inside a
 * top-level {@code $and}) reads only those documents instead of the whole collection.
 *
 * <p>mongo-java-server keeps only unique indexes and answers every other query by scanning the
 * collection; this fills that gap for the embedded stack. It only narrows the candidates: the
 * server still matches every candidate against the whole query, then sorts, skips and limits, so
 * results are the same as without it. Further key fields are not used.
 *
 * <p>Positions are the documents' {@code _id} values, which is what the H2 backend uses. The index
 * is not persisted: when the server opens a data file, the collection fills it from its documents
 * (one pass), as it does for any empty index.
 */
final class SecondaryIndex extends Index<Object> {
  private static final String ID = "_id";

  private final String field;
  private final Map<KeyValue, Set<Object>> positionsByValue = new HashMap<>();
  private long count;

  SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.field = keys.getFirst().getKey();
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return requiredValues(query, field) != null;
  }

  @Override
  public synchronized Iterable<Object> getPositions(Document query) {
    Set<KeyValue> values = Objects.requireNonNull(requiredValues(query, field));
    List<Object> positions = new ArrayList<>();
    for (KeyValue value : values) {
      positions.addAll(positionsByValue.getOrDefault(value, Set.of()));
    }
    // A copy: the caller may delete the documents while it walks them.
    return positions;
  }

  @Override
  public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
    for (KeyValue value : firstFieldValues(document)) {
      if (positionsByValue.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(position)) {
        count++;
      }
    }
  }

  @Override
  public synchronized Object remove(Document document) {
    Object position = document.get(ID);
    for (KeyValue value : firstFieldValues(document)) {
      Set<Object> positions = positionsByValue.get(value);
      if (positions != null && positions.remove(position)) {
        count--;
        if (positions.isEmpty()) {
          positionsByValue.remove(value);
        }
      }
    }
    return position;
  }

  @Override
  public synchronized void updateInPlace(
      Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
    if (!firstFieldValues(oldDocument).equals(firstFieldValues(newDocument))) {
      remove(oldDocument);
      add(newDocument, position, collection);
    }
  }

  @Override
  public Object getPosition(Document document) {
    return document.get(ID);
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Object> collection) {
    // Not unique: any document may be added.
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    // Not unique: any update is allowed.
  }

  @Override
  public synchronized long getCount() {
    return count;
  }

  @Override
  public synchronized boolean isEmpty() {
    return positionsByValue.isEmpty();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public synchronized void drop() {
    positionsByValue.clear();
    count = 0;
  }

  /** The distinct values of the first key field in {@code document}, one per array element. */
  private Set<KeyValue> firstFieldValues(Document document) {
    Set<KeyValue> values = new LinkedHashSet<>();
    for (KeyValue key : getKeyValues(document)) {
      values.add(new KeyValue(key.get(0)).normalized());
    }
    return values;
  }

  /**
   * The values {@code query} requires {@code field} to equal one of, normalized as index keys; null
   * when the query does not pin the field that way (no condition on it, a range, a regex, null,
   * an array or an embedded document), in which case the index cannot narrow the candidates.
   */
  static Set<KeyValue> requiredValues(Document query, String field) {
    if (query.containsKey(field)) {
      Set<KeyValue> values = equalityValues(query.get(field));
      if (values != null) {
        return values;
      }
    }
    if (query.get("$and") instanceof Collection<?> clauses) {
      for (Object clause : clauses) {
        if (clause instanceof Document condition) {
          Set<KeyValue> values = requiredValues(condition, field);
          if (values != null) {
            return values;
          }
        }
      }
    }
    return null;
  }

  private static Set<KeyValue> equalityValues(Object condition) {
    if (!(condition instanceof Document operators)) {
      return scalar(condition) ? Set.of(new KeyValue(condition).normalized()) : null;
    }
    if (operators.size() != 1) {
      return null;
    }
    if (operators.containsKey("$eq")) {
      Object value = operators.get("$eq");
      return scalar(value) ? Set.of(new KeyValue(value).normalized()) : null;
    }
    if (operators.get("$in") instanceof Collection<?> candidates) {
      Set<KeyValue> values = new LinkedHashSet<>();
      for (Object candidate : candidates) {
        if (!scalar(candidate)) {
          return null;
        }
        values.add(new KeyValue(candidate).normalized());
      }
      return values;
    }
    return null;
  }

  /** A value the index holds as is: not null, not an array, embedded document or pattern. */
  private static boolean scalar(Object value) {
    return value != null
        && !(value instanceof Document)
        && !(value instanceof Collection<?>)
        && !(value instanceof Pattern)
        && !BsonRegularExpression.isRegularExpression(value);
  }
}
