package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedH2BackendTest {

  @TempDir Path dir;

  @Test
  void findsBySessionInSequenceOrderWithRangesSkipAndLimit() {
    withServer(
        null,
        entries -> {
          fill(entries, 3, 50);
          assertThat(seqs(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq"))))
              .hasSize(50)
              .isSorted();
          assertThat(
                  seqs(
                      entries
                          .find(Filters.and(Filters.eq("sessionId", "s2"), Filters.gt("seq", 40)))
                          .sort(Sorts.descending("seq"))
                          .skip(2)
                          .limit(3)))
              .containsExactly(48L, 47L, 46L);
          assertThat(entries.countDocuments(Filters.in("sessionId", List.of("s0", "s2", "none"))))
              .isEqualTo(100);
          return null;
        });
  }

  @Test
  void queriesTheIndexCannotNarrowStillMatchEverything() {
    withServer(
        null,
        entries -> {
          fill(entries, 3, 10);
          assertThat(entries.countDocuments(Filters.regex("sessionId", "^s[01]$"))).isEqualTo(20);
          assertThat(
                  entries.countDocuments(
                      Filters.or(Filters.eq("sessionId", "s0"), Filters.eq("seq", 3))))
              .isEqualTo(12);
          assertThat(entries.countDocuments(Filters.eq("sessionId", null))).isZero();
          assertThat(entries.countDocuments()).isEqualTo(30);
          assertThat(entries.countDocuments(Filters.eq("seq", 5))).isEqualTo(3);
          return null;
        });
  }

  @Test
  void followsDeletesAndUpdatesOfTheIndexedField() {
    withServer(
        null,
        entries -> {
          fill(entries, 2, 10);
          entries.deleteMany(Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 4)));
          entries.updateOne(Filters.eq("_id", "s1-1"), Updates.set("sessionId", "s0"));
          entries.updateOne(Filters.eq("_id", "s1-2"), Updates.set("note", "kept"));
          assertThat(entries.countDocuments(Filters.eq("sessionId", "s0"))).isEqualTo(7);
          assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"))).isEqualTo(9);
          Document oldest =
              entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq")).first();
          assertThat(oldest.getString("note")).isEqualTo("kept");
          return null;
        });
  }

  @Test
  void upgradesADataFileWrittenWithJavaSerializationWhenItIsOpened() {
    Path file = dir.resolve("old.mv");
    // Written as before: mongo-java-server's own H2 backend, documents in Java serialization.
    de.bwaldvogel.mongo.backend.h2.H2Backend old =
        new de.bwaldvogel.mongo.backend.h2.H2Backend(MVStore.open(file.toString()));
    old.version(ServerVersion.MONGO_5_0);
    MongoServer oldServer = new MongoServer(old);
    try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(oldServer.bind()))) {
      fill(client.getDatabase("test").getCollection("entries"), 2, 20);
    } finally {
      oldServer.shutdown();
    }
    withServer(
        file,
        entries -> {
          assertThat(seqs(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.descending("seq")).limit(2)))
              .containsExactly(20L, 19L);
          assertThat(entries.find(Filters.eq("_id", "s0-7")).first().getLong("seq")).isEqualTo(7L);
          entries.insertOne(new Document("_id", "new").append("sessionId", "s0").append("seq", 21L));
          assertThat(entries.countDocuments(Filters.eq("sessionId", "s0"))).isEqualTo(21);
          return null;
        });
    long total = withServer(file, entries -> entries.countDocuments());
    assertThat(total).isEqualTo(41);
  }

  @Test
  void keepsTheIndexesWhenTheDataFileIsOpenedAgain() {
    Path file = dir.resolve("data.mv");
    withServer(
        file,
        entries -> {
          fill(entries, 4, 25);
          return null;
        });
    long found =
        withServer(file, entries -> entries.countDocuments(Filters.eq("sessionId", "s3")));
    assertThat(found).isEqualTo(25);
  }

  @Test
  void answersCountDocumentsWithSkipAndLimitAsTheAggregationWould() {
    withServer(
        null,
        entries -> {
          fill(entries, 2, 10);
          var options = new com.mongodb.client.model.CountOptions().skip(3).limit(5);
          assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"), options)).isEqualTo(5);
          assertThat(entries.countDocuments(Filters.eq("sessionId", "nobody"))).isZero();
          return null;
        });
  }

  @Test
  void aFindOfASessionsIdsReturnsTheDocumentsIdsNotWhereTheyAreStored() {
    withServer(
        null,
        entries -> {
          fill(entries, 2, 5);
          List<Object> ids = new ArrayList<>();
          entries
              .find(Filters.eq("sessionId", "s1"))
              .projection(com.mongodb.client.model.Projections.include("_id"))
              .forEach(d -> ids.add(d.get("_id")));
          assertThat(ids).containsExactlyInAnyOrder("s1-1", "s1-2", "s1-3", "s1-4", "s1-5");
          return null;
        });
  }

  @Test
  void uniqueIndexesOnPathsAndArraysStillRefuseDuplicates() {
    withServer(
        null,
        entries -> {
          entries.createIndex(Indexes.ascending("meta.key"), new com.mongodb.client.model.IndexOptions().unique(true));
          entries.createIndex(Indexes.ascending("tags"), new com.mongodb.client.model.IndexOptions().unique(true));
          entries.insertOne(new Document("_id", 1).append("meta", new Document("key", "a")).append("tags", List.of("x", "y")));
          assertThat(duplicate(entries, new Document("_id", 2).append("meta", new Document("key", "a")))).isTrue();
          assertThat(duplicate(entries, new Document("_id", 3).append("tags", List.of("z", "y")))).isTrue();
          assertThat(duplicate(entries, new Document("_id", 1))).isTrue();
          entries.deleteOne(Filters.eq("_id", 1));
          entries.insertOne(new Document("_id", 1).append("meta", new Document("key", "a")).append("tags", List.of("y")));
          assertThat(entries.countDocuments(Filters.eq("tags", "y"))).isEqualTo(1);
          return null;
        });
  }

  private static boolean duplicate(MongoCollection<Document> entries, Document document) {
    try {
      entries.insertOne(document);
      return false;
    } catch (com.mongodb.MongoWriteException e) {
      return e.getError().getCode() == 11000;
    }
  }

  private static void fill(MongoCollection<Document> entries, int sessions, int perSession) {
    entries.createIndex(Indexes.ascending("sessionId", "seq"));
    List<Document> docs = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      // Inserted newest first, so order comes from the sort, not from insertion.
      for (long seq = perSession; seq >= 1; seq--) {
        docs.add(new Document("_id", "s" + s + "-" + seq).append("sessionId", "s" + s).append("seq", seq));
      }
    }
    entries.insertMany(docs);
  }

  private static List<Long> seqs(Iterable<Document> documents) {
    List<Long> seqs = new ArrayList<>();
    documents.forEach(d -> seqs.add(d.getLong("seq")));
    return seqs;
  }

  private static <T> T withServer(Path file, Function<MongoCollection<Document>, T> work) {
    IndexedH2Backend backend =
        new IndexedH2Backend(file == null ? MVStore.open(null) : StoreFormat.open(file));
    backend.version(ServerVersion.MONGO_5_0);
    MongoServer server = new MongoServer(backend);
    try (MongoClient client =
        MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
      return work.apply(client.getDatabase("test").getCollection("entries"));
    } finally {
      server.shutdown();
    }
  }

  private static String hostAndPort(java.net.InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
