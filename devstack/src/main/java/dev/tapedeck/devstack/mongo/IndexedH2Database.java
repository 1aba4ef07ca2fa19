package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Optional;

/**
 * An H2-backed database whose non-unique indexes are kept ({@link SecondaryIndex}) rather than
 * ignored, and which answers the drivers' {@code countDocuments} aggregation as a count, so it
 * uses them ({@link CountDocumentsPipeline}).
 */
final class IndexedH2Database extends H2Database {

  IndexedH2Database(String databaseName, org.h2.mvstore.MVStore mvStore, CursorRegistry cursors) {
    super(databaseName, mvStore, cursors);
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new SecondaryIndex(indexName, keys, sparse);
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
