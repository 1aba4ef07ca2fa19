package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;

/**
 * A non-unique index for mongo-java-server, kept on disk: an MVStore map, in the same file as the
 * documents, whose keys are (the indexed values..., the document's {@code _id}) in index order
 * ({@link BsonTypes.KeyType}). A start opens it as it is; nothing is rebuilt on the heap.
 *
 * <p>It serves a query that pins the first key field to values ({@code {sessionId: "s1"}}, {@code
 * {$eq: ...}}, {@code {$in: [...]}}, also inside a top-level {@code $and}); a range on the second
 * key field ({@code {seq: {$lte: 900}}}) narrows the keys read to that range. {@link
 * IndexedH2Collection} also walks it in order for a sort on the second field, so a page of a
 * session sorted by sequence reads only that page, and counts a pinned first field from the keys
 * alone.
 *
 * <p>It only narrows the candidates: the server still matches every candidate against the whole
 * query, so results are the same as without it. mongo-java-server itself keeps only unique indexes
 * and answers every other query by scanning the collection.
 */
final class SecondaryIndex extends Index<Object> {
  private final MVMap<KeyValue, Boolean> map;
  private final String field;
  private final String second;
  private final boolean secondDescending;
  private final int width;

  SecondaryIndex(MVMap<KeyValue, Boolean> map, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.map = map;
    this.field = keys.getFirst().getKey();
    this.second = keys.size() > 1 ? keys.get(1).getKey() : null;
    this.secondDescending = keys.size() > 1 && !keys.get(1).isAscending();
    this.width = keys.size();
  }

  /** The key type for an index over {@code keys}: their directions, then the position. */
  static BsonTypes.KeyType keyType(List<IndexKey> keys) {
    boolean[] descending = new boolean[keys.size() + 1];
    for (int i = 0; i < keys.size(); i++) {
      descending[i] = !keys.get(i).isAscending();
    }
    return new BsonTypes.KeyType(descending);
  }

  /** The first key field. */
  String field() {
    return field;
  }

  /** The second key field, null for a single-field index. */
  String second() {
    return second;
  }

  /** Whether the second key field is descending. */
  boolean secondDescending() {
    return secondDescending;
  }

  @Override
  public boolean canHandle(Document query) {
    return requiredValues(query, field) != null;
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    Set<KeyValue> values = Objects.requireNonNull(requiredValues(query, field));
    Object[] range = second == null ? null : range(query, second);
    Set<Object> positions = new LinkedHashSet<>();
    for (KeyValue value : values) {
      Iterator<KeyValue> keys = keys(value.get(0), range, false);
      while (keys.hasNext()) {
        positions.add(position(keys.next()));
      }
    }
    // A copy: the caller may delete the documents while it walks them.
    return new ArrayList<>(positions);
  }

  /**
   * The index keys whose first field is {@code value}, in index order or reversed, limited to
   * {@code range} ({lower, upper}, either null for open) on the second field when given.
   */
  Iterator<KeyValue> keys(Object value, Object[] range, boolean reverse) {
    Object lower = range == null || range[0] == null ? MinKey.getInstance() : range[0];
    Object upper = range == null || range[1] == null ? MaxKey.getInstance() : range[1];
    Object firstSecond = secondDescending ? upper : lower;
    Object lastSecond = secondDescending ? lower : upper;
    KeyValue from = bound(value, firstSecond, MinKey.getInstance());
    KeyValue to = bound(value, lastSecond, MaxKey.getInstance());
    return reverse ? map.cursor(to, from, true) : map.cursor(from, to, false);
  }

  private KeyValue bound(Object value, Object secondValue, Object position) {
    return width == 1 ? new KeyValue(value, position) : new KeyValue(value, secondValue, position);
  }

  /** The document position an index key ends with. */
  static Object position(KeyValue key) {
    return key.get(key.size() - 1);
  }

  @Override
  public void add(Document document, Object position, MongoCollection<Object> collection) {
    for (KeyValue key : indexKeys(document, position)) {
      map.put(key, Boolean.TRUE);
    }
  }

  /**
   * Not used: {@link IndexedH2Collection#removeDocument(Document)} calls {@link #removeAt}, as the
   * keys end with the position, which the document does not hold.
   */
  @Override
  public Object remove(Document document) {
    return null;
  }

  /** Removes the keys of {@code document}, stored at {@code position}. */
  void removeAt(Document document, Object position) {
    for (KeyValue key : indexKeys(document, position)) {
      map.remove(key);
    }
  }

  @Override
  public void updateInPlace(
      Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
    Set<KeyValue> before = indexKeys(oldDocument, position);
    Set<KeyValue> after = indexKeys(newDocument, position);
    if (!before.equals(after)) {
      before.forEach(map::remove);
      after.forEach(key -> map.put(key, Boolean.TRUE));
    }
  }

  /** Unknown from the document alone; the unique {@code _id} index answers. */
  @Override
  public Object getPosition(Document document) {
    return null;
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
  public long getCount() {
    return map.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public void drop() {
    map.clear();
  }

  /** One key per combination of indexed values (one per array element), ending with the position. */
  private Set<KeyValue> indexKeys(Document document, Object position) {
    KeyValue flat = FlatKeys.of(document, keys(), true);
    if (flat != null) {
      if (isSparse() && flat.stream().allMatch(Objects::isNull)) {
        return Set.of();
      }
      Object[] key = new Object[flat.size() + 1];
      for (int i = 0; i < flat.size(); i++) {
        key[i] = flat.get(i);
      }
      key[flat.size()] = position;
      return Set.of(new KeyValue(key));
    }
    Set<KeyValue> keys = new LinkedHashSet<>();
    for (KeyValue values : getKeyValues(document)) {
      KeyValue normalized = values.normalized();
      if (isSparse() && normalized.stream().allMatch(Objects::isNull)) {
        continue;
      }
      List<Object> key = new ArrayList<>(normalized.size() + 1);
      normalized.forEach(key::add);
      key.add(position);
      keys.add(new KeyValue(key));
    }
    return keys;
  }

  /**
   * The bounds {@code query} puts on {@code field} ({@code $gt}/{@code $gte} lower, {@code
   * $lt}/{@code $lte} upper, {@code $eq} or a plain value both), normalized as index keys, as {lower,
   * upper} with null for an open end; null when it puts none the index can use.
   */
  static Object[] range(Document query, String field) {
    Object[] range = new Object[2];
    boolean any = collectRange(query, field, range);
    return any ? range : null;
  }

  private static boolean collectRange(Document query, String field, Object[] range) {
    boolean any = false;
    if (query.containsKey(field)) {
      Object condition = query.get(field);
      if (condition instanceof Document operators) {
        for (String op : operators.keySet()) {
          Object bound = operators.get(op);
          if (!scalar(bound)) {
            continue;
          }
          Object value = new KeyValue(bound).normalized().get(0);
          switch (op) {
            case "$gt", "$gte" -> any |= tighten(range, 0, value);
            case "$lt", "$lte" -> any |= tighten(range, 1, value);
            case "$eq" -> any |= tighten(range, 0, value) | tighten(range, 1, value);
            default -> {}
          }
        }
      } else if (scalar(condition)) {
        Object value = new KeyValue(condition).normalized().get(0);
        any = tighten(range, 0, value) | tighten(range, 1, value);
      }
    }
    if (query.get("$and") instanceof Collection<?> clauses) {
      for (Object clause : clauses) {
        if (clause instanceof Document condition) {
          any |= collectRange(condition, field, range);
        }
      }
    }
    return any;
  }

  private static boolean tighten(Object[] range, int end, Object value) {
    if (range[end] == null) {
      range[end] = value;
    } else {
      int c = BsonTypes.compareValues(value, range[end]);
      if (end == 0 ? c > 0 : c < 0) {
        range[end] = value;
      }
    }
    return true;
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
  static boolean scalar(Object value) {
    return value != null
        && !(value instanceof Document)
        && !(value instanceof Collection<?>)
        && !(value instanceof Pattern)
        && !BsonRegularExpression.isRegularExpression(value);
  }
}
