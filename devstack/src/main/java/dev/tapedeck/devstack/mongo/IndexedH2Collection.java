package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * An H2 collection that reads its {@link SecondaryIndex}es in order, so the queries storage makes
 * most cost what they return rather than what the session holds:
 *
 * <ul>
 *   <li>a sort on an index's second field with its first field pinned to one value ({@code
 *       find({sessionId: s}).sort({seq: -1}).skip(n).limit(m)}) walks the index in that order and
 *       stops after {@code skip + limit} matches; when the query is just that pin, skipped entries
 *       are not even read;
 *   <li>a count of just such a pin is answered from the index keys;
 *   <li>a delete of a range on such an index's second field with the first pinned ({@code
 *       deleteMany({sessionId: s, seq: {$lte: n}})}, the session cap's eviction) finds its
 *       documents from the index keys, without reading and matching them, and removes each in one
 *       lookup of the data map ({@link #deleteRange});
 *   <li>a scan of the whole collection holds its MVStore version, so the store's background
 *       compaction cannot free the pages it is reading (H2 fails such a long read with "Chunk not
 *       found" otherwise).
 * </ul>
 */
final class IndexedH2Collection extends H2Collection {
  private final MVStore store;
  // Values are the documents' BSON bytes (BsonTypes.StoredDocumentType); the H2Collection methods
  // that read or write the map are overridden here accordingly.
  private final MVMap<Object, Object> dataMap;
  private long nextPosition;

  @SuppressWarnings({"unchecked", "rawtypes"})
  IndexedH2Collection(
      MongoDatabase database,
      String collectionName,
      CollectionOptions options,
      MVMap<Object, Object> dataMap,
      MVMap<String, Object> metaMap,
      CursorRegistry cursorRegistry,
      MVStore store) {
    super(database, collectionName, options, (MVMap) dataMap, metaMap, cursorRegistry);
    this.store = store;
    this.dataMap = dataMap;
    this.nextPosition = dataMap.lastKey() instanceof Number last ? last.longValue() + 1 : 1;
  }

  /**
   * Stores {@code document} at the next position: positions are a sequence, so new documents go
   * to the end of the data map and a commit rewrites one page, where keying by {@code _id} (random
   * UUIDs here) rewrote a page anywhere in the file per document. The {@code _id} index maps ids
   * to positions.
   */
  @Override
  protected Object addDocumentInternal(Document document) {
    Long position = nextPosition++;
    Object previous = dataMap.putIfAbsent(position, BsonTypes.encode(document));
    if (previous != null) {
      throw new IllegalStateException("position " + position + " taken in " + getFullName());
    }
    return position;
  }

  @Override
  protected Document getDocument(Object position) {
    return BsonTypes.document(dataMap.get(position));
  }

  @Override
  protected void removeDocument(Object position) {
    if (dataMap.remove(position) == null) {
      throw new NoSuchElementException("No document at " + position + " in " + getFullName());
    }
  }

  @Override
  protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
    dataMap.put(position, BsonTypes.encode(newDocument));
  }

  @Override
  protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
    return dataMap.entrySet().stream()
        .map(e -> new DocumentWithPosition<>(BsonTypes.document(e.getValue()), e.getKey()));
  }

  /**
   * The top-level fields the indexes' keys are made of (and {@code _id}): enough of a document to
   * remove its index keys, decoded without the rest ({@link BsonTypes#fields}).
   */
  private Set<String> keyFields() {
    Set<String> fields = new HashSet<>();
    if (getIdField() != null) {
      fields.add(getIdField());
    }
    for (Index<Object> index : getIndexes()) {
      for (IndexKey indexKey : index.getKeys()) {
        String key = indexKey.getKey();
        int dot = key.indexOf('.');
        fields.add(dot < 0 ? key : key.substring(0, dot));
      }
    }
    return fields;
  }

  /**
   * No running total of the documents' BSON size: it cost an encode of every document written
   * and removed, for {@code collStats}' {@code size} alone (which keeps its last value).
   */
  @Override
  protected boolean tracksDataSize() {
    return false;
  }

  /**
   * Removes a document from the indexes and the data map. The unique indexes (the {@code _id}
   * index first) say where it is; the non-unique ones need that position to find its keys.
   */
  @Override
  public synchronized void removeDocument(Document document) {
    Object position = null;
    for (Index<Object> index : getIndexes()) {
      if (!(index instanceof SecondaryIndex)) {
        Object found = index.remove(document);
        position = found != null ? found : position;
      }
    }
    if (position == null) {
      position = findDocumentPosition(document);
    }
    if (position == null) {
      return;
    }
    for (Index<Object> index : getIndexes()) {
      if (index instanceof SecondaryIndex secondary) {
        secondary.removeAt(document, position);
      }
    }
    removeDocument(position);
  }

  /**
   * A {@code deleteMany} whose filter is exactly an index's first field pinned to one value and one
   * bound on its second ({@link RangeDelete}) is answered from that index's keys; any other delete
   * goes the server's way (a query, then each match removed).
   */
  @Override
  public synchronized int deleteDocuments(Document selector, int limit, Oplog oplog) {
    if (limit == 0) {
      for (Index<Object> index : getIndexes()) {
        if (index instanceof SecondaryIndex secondary) {
          RangeDelete range = RangeDelete.of(secondary, selector);
          if (range != null) {
            return deleteRange(range, selector, oplog);
          }
        }
      }
    }
    return super.deleteDocuments(selector, limit, oplog);
  }

  /**
   * Deletes the documents {@code range} selects: the positions come from the index keys in the
   * range, a key whose second value is a number within the bound matches without reading its
   * document (the filter is exactly the pin and that bound, and a document with an array there
   * matches when any element does, as its keys are one per element); a key with anything else
   * there (null, another type, NaN) has its document read and matched as the server would. Each
   * matching document is taken out of the data map in one lookup, which also hands back the
   * values its keys in the other indexes are made of.
   */
  private int deleteRange(RangeDelete range, Document selector, Oplog oplog) {
    Set<Object> matched = new LinkedHashSet<>();
    Set<Object> unsure = new LinkedHashSet<>();
    Iterator<KeyValue> keys = range.index().keys(range.value(), range.bounds(), false);
    while (keys.hasNext()) {
      KeyValue key = keys.next();
      Object position = SecondaryIndex.position(key);
      if (range.holds(key.get(1))) {
        matched.add(position);
      } else {
        unsure.add(position);
      }
    }
    unsure.removeAll(matched);
    for (Object position : unsure) {
      Document document = getDocument(position);
      if (document != null && documentMatchesQuery(document, selector)) {
        matched.add(position);
      }
    }
    List<Object> deletedIds = new ArrayList<>(matched.size());
    Set<String> keyFields = keyFields();
    for (Object position : matched) {
      Document document = BsonTypes.fields(dataMap.remove(position), keyFields);
      if (document == null) {
        continue;
      }
      for (Index<Object> index : getIndexes()) {
        if (index instanceof SecondaryIndex secondary) {
          secondary.removeAt(document, position);
        } else {
          index.remove(document);
        }
      }
      deletedIds.add(getIdField() == null ? null : document.get(getIdField()));
    }
    oplog.handleDelete(getFullName(), selector, deletedIds);
    return deletedIds.size();
  }

  /**
   * A count of exactly one index's first field pinned to one value ({@code {sessionId: s}}) is the
   * number of documents among that value's index keys; no document is read.
   */
  @Override
  public int count(Document query, int skip, int limit) {
    if (query != null && query.size() == 1) {
      for (Index<Object> index : getIndexes()) {
        if (index instanceof SecondaryIndex secondary && query.containsKey(secondary.field())) {
          Set<KeyValue> pinned = SecondaryIndex.requiredValues(query, secondary.field());
          if (pinned != null && pinned.size() == 1) {
            return countKeys(secondary, pinned.iterator().next().get(0), skip, limit);
          }
        }
      }
    }
    return super.count(query, skip, limit);
  }

  private static int countKeys(SecondaryIndex index, Object value, int skip, int limit) {
    Set<Object> positions = new HashSet<>();
    Iterator<KeyValue> keys = index.keys(value, null, false);
    while (keys.hasNext()) {
      positions.add(SecondaryIndex.position(keys.next())); // an array value gives several keys
    }
    int count = Math.max(0, positions.size() - Math.max(skip, 0));
    return limit > 0 ? Math.min(limit, count) : count;
  }

  @Override
  protected QueryResult queryDocuments(
      Document query,
      Document orderBy,
      int numberToSkip,
      int limit,
      int batchSize,
      Document fieldSelector) {
    for (Index<Object> index : getIndexes()) {
      if (index instanceof SecondaryIndex secondary) {
        QueryResult result =
            inIndexOrder(secondary, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        if (result != null) {
          return result;
        }
      }
    }
    return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }

  @Override
  protected QueryResult matchDocuments(
      Document query,
      Document orderBy,
      int numberToSkip,
      int limit,
      int batchSize,
      Document fieldSelector) {
    MVStore.TxCounter version = store.registerVersionUsage();
    try {
      Stream<Document> documents;
      if (isNaturalDescending(orderBy)) {
        documents =
            streamAllDocumentsWithPosition()
                .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                .map(DocumentWithPosition::getDocument);
      } else {
        documents = dataMap.values().stream().map(BsonTypes::document);
      }
      return matchDocumentsFromStream(
          documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    } finally {
      store.deregisterVersionUsage(version);
    }
  }

  /** The query answered by walking {@code index} in order; null when it cannot be. */
  private QueryResult inIndexOrder(
      SecondaryIndex index,
      Document query,
      Document orderBy,
      int skip,
      int limit,
      int batchSize,
      Document fieldSelector) {
    Set<KeyValue> pinned = SecondaryIndex.requiredValues(query, index.field());
    if (pinned == null || pinned.size() != 1) {
      return null;
    }
    boolean reverse;
    if (orderBy == null || orderBy.isEmpty()) {
      if (!isIdOnly(fieldSelector)) {
        return null;
      }
      reverse = false;
    } else if (orderBy.size() == 1
        && index.second() != null
        && orderBy.get(index.second()) instanceof Number direction) {
      boolean descending = direction.doubleValue() < 0;
      reverse = descending != index.secondDescending();
    } else {
      return null;
    }
    // Exactly {field: value}: every key of that value matches, so no document need be read to
    // know it does.
    boolean covered = query.size() == 1 && query.containsKey(index.field());
    if ((orderBy == null || orderBy.isEmpty()) && !covered) {
      return null;
    }
    Object[] range = index.second() == null ? null : SecondaryIndex.range(query, index.second());
    Iterator<KeyValue> keys = index.keys(pinned.iterator().next().get(0), range, reverse);
    Set<Object> seen = new HashSet<>();
    // Lazy: the stream stops pulling keys once skip + limit documents have matched.
    Stream<Object> positions =
        StreamSupport.stream(Spliterators.spliteratorUnknownSize(keys, Spliterator.ORDERED), false)
            .map(SecondaryIndex::position)
            .filter(seen::add); // an array value gives a document several keys
    if (covered) {
      // An inclusion of top-level fields (the cap's {_id, seq}) decodes only those.
      Set<String> included = includedFields(fieldSelector);
      Stream<Document> documents =
          positions
              .skip(skip)
              .map(p -> included == null ? getDocument(p) : BsonTypes.fields(dataMap.get(p), included))
              .filter(Objects::nonNull);
      return matchDocumentsFromStream(
          new Document(), documents, 0, limit, batchSize, null, fieldSelector);
    }
    Stream<Document> documents = positions.map(this::getDocument).filter(Objects::nonNull);
    return matchDocumentsFromStream(query, documents, skip, limit, batchSize, null, fieldSelector);
  }

  /**
   * The fields a projection that only includes top-level fields ({@code {_id: 1, seq: 1}}) keeps,
   * with {@code _id}; null for any other projection (none, exclusions, paths, operators), which
   * needs the whole document.
   */
  private Set<String> includedFields(Document fieldSelector) {
    if (fieldSelector == null || fieldSelector.isEmpty()) {
      return null;
    }
    Set<String> fields = new HashSet<>();
    if (getIdField() != null) {
      fields.add(getIdField());
    }
    boolean any = false;
    for (String field : fieldSelector.keySet()) {
      Object include = fieldSelector.get(field);
      if (field.indexOf('.') >= 0
          || field.startsWith("$")
          || !(include instanceof Boolean || include instanceof Number)) {
        return null;
      }
      boolean included =
          include instanceof Boolean b ? b : ((Number) include).doubleValue() != 0;
      if (!included && !field.equals(getIdField())) {
        return null;
      }
      any |= included;
      fields.add(field);
    }
    return any ? fields : null; // only {_id: 0} excludes, keeping every other field
  }

  private boolean isIdOnly(Document fieldSelector) {
    return fieldSelector != null
        && fieldSelector.size() == 1
        && fieldSelector.get(getIdField()) instanceof Number include
        && include.intValue() == 1;
  }
}
