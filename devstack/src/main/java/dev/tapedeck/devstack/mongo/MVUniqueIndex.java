package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.MVMap;

/**
 * A unique index (the {@code _id} index of every collection, and any index created with {@code
 * unique: true}) as an MVStore map from key to position, with BSON keys that compare natively
 * ({@link BsonTypes.KeyType}). mongo-java-server's own H2 unique index keeps the same map with
 * Java-serialized keys, which H2 compares by serializing both sides: the hottest code of the
 * embedded store under load before this.
 */
final class MVUniqueIndex extends AbstractUniqueIndex<Object> {
  private final MVMap<KeyValue, Object> map;

  MVUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.map = map;
  }

  /** The document's keys, read directly for top-level fields without arrays ({@link FlatKeys}). */
  @Override
  public Set<KeyValue> getKeyValues(Document document) {
    Set<KeyValue> keys = FlatKeys.set(document, keys());
    return keys != null ? keys : super.getKeyValues(document);
  }

  @Override
  public synchronized void checkAdd(Document document, MongoCollection<Object> collection) {
    KeyValue key = isSparse() ? null : FlatKeys.of(document, keys(), false);
    if (key == null) {
      super.checkAdd(document, collection);
    } else if (containsKey(key.normalized())) {
      throw new DuplicateKeyError(this, collection, getKeys(), key);
    }
  }

  /**
   * Adds the document's keys. The collection checked them all ({@link #checkAdd}) just before, so
   * the key is not looked up a second time first, as mongo-java-server's own add does: the insert
   * itself refuses a key already there.
   */
  @Override
  public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
    if (isSparse()) {
      super.add(document, position, collection);
      return;
    }
    for (KeyValue key : getKeyValues(document)) {
      if (!putKeyPosition(key, position)) {
        throw new DuplicateKeyError(this, collection, getKeys(), key);
      }
    }
  }

  /** Removes the document's key; returns the position it pointed to, null when there was none. */
  @Override
  public synchronized Object remove(Document document) {
    KeyValue key = isSparse() ? null : FlatKeys.of(document, keys(), true);
    return key == null ? super.remove(document) : map.remove(key);
  }

  @Override
  protected Object removeDocument(KeyValue keyValue) {
    return map.remove(keyValue);
  }

  @Override
  protected boolean putKeyPosition(KeyValue keyValue, Object position) {
    return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
  }

  @Override
  protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
    return map.entrySet();
  }

  @Override
  protected Object getPosition(KeyValue keyValue) {
    return map.get(keyValue);
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
    return getCount();
  }

  @Override
  public void drop() {
    map.clear();
  }
}
