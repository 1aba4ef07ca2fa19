package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * An H2-backed database whose non-unique indexes are kept ({@link SecondaryIndex}) rather than
 * ignored, and which answers the drivers' {@code countDocuments} aggregation as a count, so it
 * uses them ({@link CountDocumentsPipeline}).
 */
final class IndexedH2Database extends H2Database {
  // H2Database's constructor opens the collections and indexes already in the file, calling the
  // overrides below before this class's fields are set; they find the store here meanwhile.
  private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

  private final MVStore mvStore;

  private IndexedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursors) {
    super(databaseName, mvStore, cursors);
    this.mvStore = mvStore;
  }

  /** Opens (or creates) the database {@code databaseName} in {@code mvStore}. */
  static IndexedH2Database open(String databaseName, MVStore mvStore, CursorRegistry cursors) {
    OPENING.set(mvStore);
    try {
      return new IndexedH2Database(databaseName, mvStore, cursors);
    } finally {
      OPENING.remove();
    }
  }

  private MVStore store() {
    return mvStore != null ? mvStore : OPENING.get();
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(
      String collectionName, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Object> dataMap =
        store().openMap(StoreFormat.DATA_PREFIX + fullName, StoreFormat.dataMap());
    MVMap<String, Object> metaMap = store().openMap(StoreFormat.META_PREFIX + fullName);
    return new IndexedH2Collection(
        this, collectionName, options, dataMap, metaMap, cursorRegistry, store());
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    MVMap<KeyValue, Object> map =
        store().openMap(indexMapName(collectionName, indexName), StoreFormat.uniqueIndexMap());
    return new MVUniqueIndex(map, indexName, keys, sparse);
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    MVMap<KeyValue, Boolean> map =
        store().openMap(indexMapName(collectionName, indexName), StoreFormat.secondaryIndexMap(keys));
    return new SecondaryIndex(map, indexName, keys, sparse);
  }

  /** The map an index lives in; H2Database's name for it, so its dropIndex removes it. */
  private String indexMapName(String collectionName, String indexName) {
    return getFullCollectionNamespace(collectionName) + StoreFormat.INDEX_INFIX + indexName;
  }

  @Override
  public Document handleCommand(
      Channel channel,
      String command,
      Document query,
      DatabaseResolver databaseResolver,
      Oplog oplog) {
    if (command.equals("aggregate")) {
      Optional<CountDocumentsPipeline> count = CountDocumentsPipeline.of(query);
      if (count.isPresent()) {
        return count(channel, (String) query.get("aggregate"), count.get());
      }
    }
    return super.handleCommand(channel, command, query, databaseResolver, oplog);
  }

  private Document count(Channel channel, String collectionName, CountDocumentsPipeline pipeline) {
    clearLastStatus(channel);
    MongoCollection<Object> collection = resolveCollection(collectionName, false);
    int matches =
        collection == null ? 0 : collection.count(pipeline.filter(), pipeline.skip(), pipeline.limit());
    return CountDocumentsPipeline.reply(getDatabaseName() + "." + collectionName, matches);
  }
}
