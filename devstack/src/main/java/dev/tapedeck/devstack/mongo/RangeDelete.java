package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;

/**
 * A delete whose filter is exactly a {@link SecondaryIndex}'s first field pinned to one value and
 * one numeric bound on its second: {@code {sessionId: "s1", seq: {$lte: 900}}} (or the same as a
 * {@code $and} of the two, as the Java driver sends it), the session cap's eviction. {@link IndexedH2Collection} answers it from the index keys in that range.
 *
 * @param index the index whose keys are walked
 * @param value the pinned value of the first field, normalized as index keys are
 * @param operator {@code $lt}, {@code $lte}, {@code $gt} or {@code $gte}
 * @param bound the bound, normalized as index keys are (a number, not NaN)
 */
record RangeDelete(SecondaryIndex index, Object value, String operator, Object bound) {

  /** The range delete {@code filter} is for {@code index}; null when it is of another shape. */
  static RangeDelete of(SecondaryIndex index, Document filter) {
    return shaped(index, flattened(filter));
  }

  /**
   * {@code filter} with a top-level {@code $and} of conditions on distinct fields merged into one
   * document, as the Java driver's {@code Filters.and} sends {@code {sessionId: s, seq: {...}}}.
   */
  static Document flattened(Document filter) {
    if (filter.size() != 1 || !(filter.get("$and") instanceof Collection<?> clauses)) {
      return filter;
    }
    Document flat = new Document();
    for (Object clause : clauses) {
      if (!(clause instanceof Document condition)) {
        return filter;
      }
      for (String field : condition.keySet()) {
        if (field.startsWith("$") || flat.containsKey(field)) {
          return filter;
        }
        flat.put(field, condition.get(field));
      }
    }
    return flat;
  }

  private static RangeDelete shaped(SecondaryIndex index, Document filter) {
    String second = index.second();
    if (second == null
        || filter.size() != 2
        || !filter.containsKey(index.field())
        || !(filter.get(second) instanceof Document condition)
        || condition.size() != 1) {
      return null;
    }
    Object pinned = filter.get(index.field());
    if (!SecondaryIndex.scalar(pinned)) {
      return null;
    }
    String operator = condition.keySet().iterator().next();
    if (!switch (operator) {
      case "$lt", "$lte", "$gt", "$gte" -> true;
      default -> false;
    }) {
      return null;
    }
    if (!(condition.get(operator) instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return null;
    }
    return new RangeDelete(
        index,
        new KeyValue(pinned).normalized().get(0),
        operator,
        new KeyValue(number).normalized().get(0));
  }

  /** The range of the second field to walk, as {@link SecondaryIndex#keys} takes it. */
  Object[] bounds() {
    return operator.startsWith("$l") ? new Object[] {null, bound} : new Object[] {bound, null};
  }

  /**
   * Whether an index key's second value certainly matches: a number (not NaN) within the bound.
   * False for anything else, whose document must then be matched as the server would.
   */
  boolean holds(Object keyValue) {
    if (!(keyValue instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return false;
    }
    int c = BsonTypes.compareValues(keyValue, bound);
    return switch (operator) {
      case "$lt" -> c < 0;
      case "$lte" -> c <= 0;
      case "$gt" -> c > 0;
      default -> c >= 0;
    };
  }
}
