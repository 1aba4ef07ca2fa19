package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An index's key for a document whose indexed fields are all top-level and none holds an array:
 * one key, the fields' values in order. mongo-java-server's general way (paths, arrays, a map per
 * document and streams) was a third of the store's work per document inserted or evicted.
 */
final class FlatKeys {
  private FlatKeys() {}

  /**
   * The key of {@code document} over {@code fields}, normalized or as stored; null when a field is
   * a path or holds an array (the general way then).
   */
  static KeyValue of(Document document, List<String> fields, boolean normalize) {
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      String field = fields.get(i);
      if (field.indexOf('.') >= 0 || field.startsWith("$")) {
        return null;
      }
      Object value = document.getOrMissing(field);
      if (value instanceof Collection<?>) {
        return null;
      }
      values[i] = value;
    }
    KeyValue key = new KeyValue(values);
    return normalize ? key.normalized() : key;
  }

  /** {@link #of} as the one-element set {@code Index.getKeyValues} returns; null as {@link #of}. */
  static Set<KeyValue> set(Document document, List<String> fields) {
    KeyValue key = of(document, fields, true);
    return key == null ? null : Set.of(key);
  }
}
