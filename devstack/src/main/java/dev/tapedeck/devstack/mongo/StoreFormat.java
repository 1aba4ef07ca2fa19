package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The embedded store's MVStore file: how it is opened, and the types of its maps. Documents are
 * {@code databases.<db>.<collection>} maps from a position (a sequence) to the BSON document; every index is a
 * {@code <db>.<collection>._index_<name>} map in the same file (mongo-java-server's map names), so
 * one commit writes a document and its index keys together and a start opens them as they are.
 *
 * <p>A file written before this format (documents keyed by {@code _id}, documents and index keys in
 * Java serialization) is rewritten once, when it is opened: the documents in BSON at new positions,
 * the indexes rebuilt from them (one pass); {@code tapedeck.format} records that it was.
 */
public final class StoreFormat {
  static final String DATA_PREFIX = "databases.";
  static final String META_PREFIX = "meta.";
  static final String INDEX_INFIX = "._index_";

  /** The MVStore page cache, in MiB: the part of the file kept decoded on the heap. */
  public static final int CACHE_MIB = 48;

  /**
   * Unsaved changes, in KiB, that make the store write a chunk before its commit delay is up. A
   * commit rewrites every index page that changed since the last one; under load, ids are random,
   * so that is most of the {@code _id} index: fewer, larger commits write far less.
   */
  public static final int AUTO_COMMIT_BUFFER_KIB = 16 * 1024;

  /**
   * At most this long (ms) between a write and its commit to the file; a crash of the process that
   * hosts the store loses at most the writes of this last interval. A clean stop commits all.
   */
  public static final int AUTO_COMMIT_DELAY_MS = 2000;

  private static final String FORMAT_MAP = "tapedeck.format";
  private static final String FORMAT_KEY = "documents";
  private static final String BSON = "bson-1";
  private static final String UPGRADE_SUFFIX = ".tapedeck-upgrade";

  private StoreFormat() {}

  /** Opens (or creates) the store in {@code file}, upgrading an older file's format. */
  public static MVStore open(Path file) {
    // The page cache belongs to the file store, so its size goes there: an MVStore given a file
    // store of its own does not read a cache size.
    ChunkBufferFileStore fileStore = new ChunkBufferFileStore(Map.of("cacheSize", CACHE_MIB));
    fileStore.open(file.toString(), false, null);
    MVStore store;
    try {
      store =
          new MVStore.Builder()
              .adoptFileStore(fileStore)
              .autoCommitBufferSize(AUTO_COMMIT_BUFFER_KIB)
              .open();
    } catch (RuntimeException e) {
      fileStore.close();
      throw e;
    }
    store.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
    try {
      upgrade(store);
    } catch (RuntimeException e) {
      store.closeImmediately();
      throw e;
    }
    return store;
  }

  /** Positions to documents, held in memory as their BSON bytes ({@link BsonTypes.StoredDocumentType}). */
  static MVMap.Builder<Object, Object> dataMap() {
    return new MVMap.Builder<Object, Object>()
        .keyType(BsonTypes.ValueType.INSTANCE)
        .valueType(BsonTypes.StoredDocumentType.INSTANCE);
  }

  static MVMap.Builder<KeyValue, Object> uniqueIndexMap() {
    return new MVMap.Builder<KeyValue, Object>()
        .keyType(new BsonTypes.KeyType())
        .valueType(BsonTypes.ValueType.INSTANCE);
  }

  static MVMap.Builder<KeyValue, Boolean> secondaryIndexMap(List<IndexKey> keys) {
    return new MVMap.Builder<KeyValue, Boolean>()
        .keyType(SecondaryIndex.keyType(keys))
        .valueType(BsonTypes.NoValueType.INSTANCE);
  }

  /** Rewrites the maps of a file in the old format as BSON; nothing for a file in this one. */
  static void upgrade(MVStore store) {
    MVMap<String, Object> format = store.openMap(FORMAT_MAP);
    if (BSON.equals(format.get(FORMAT_KEY))) {
      return;
    }
    for (String name : store.getMapNames()) {
      if (name.endsWith(UPGRADE_SUFFIX) || name.contains(INDEX_INFIX)) {
        // An index (rebuilt when its collection opens, as it is empty) or what an upgrade that
        // did not finish left.
        store.removeMap(name);
      }
    }
    for (String name : store.getMapNames()) {
      if (name.startsWith(DATA_PREFIX)) {
        rewrite(store, name);
      }
    }
    format.put(FORMAT_KEY, BSON);
    store.commit();
  }

  /** Copies a data map as BSON, at positions 1, 2, ... (they were the {@code _id}s). */
  private static void rewrite(MVStore store, String name) {
    MVMap<Object, Object> old = store.openMap(name);
    MVMap<Object, Object> copy = store.openMap(name + UPGRADE_SUFFIX, dataMap());
    long position = 1;
    for (Object document : old.values()) {
      copy.put(position++, BsonTypes.encode((Document) document));
    }
    store.removeMap(old);
    store.renameMap(copy, name);
  }
}
