package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session cap's range delete ({@code deleteMany({sessionId, seq: {$lte: n}})}), answered from
 * the {@code (sessionId, seq)} index's keys: what it deletes and counts, and that every index
 * agrees with the documents left, also after the data file is opened again.
 */
class RangeDeleteTest {

  @TempDir Path dir;

  @Test
  void rangeDeleteOfASessionCountsAndRemovesExactlyTheEntriesAtOrBelowTheBound() {
    withServer(
        null,
        entries -> {
          fill(entries, 3, 100);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 40))))
              .isEqualTo(40);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 40))))
              .isZero();
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s2"), Filters.lt("seq", 11))))
              .isEqualTo(10);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.gt("seq", 90))))
              .isEqualTo(10);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.gte("seq", 90))))
              .isEqualTo(1);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "nobody"), Filters.lte("seq", 90))))
              .isZero();
          assertConsistent(entries, "s0", range(1, 89));
          assertConsistent(entries, "s1", range(41, 100));
          assertConsistent(entries, "s2", range(11, 100));
          assertThat(entries.countDocuments()).isEqualTo(89 + 60 + 90);
          return null;
        });
  }

  @Test
  void aRangeDeleteIsKeptWhenTheDataFileIsOpenedAgain() {
    Path file = dir.resolve("data.mv");
    withServer(
        file,
        entries -> {
          fill(entries, 2, 50);
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 30))))
              .isEqualTo(30);
          return null;
        });
    withServer(
        file,
        entries -> {
          assertConsistent(entries, "s0", range(31, 50));
          assertConsistent(entries, "s1", range(1, 50));
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 50))))
              .isEqualTo(50);
          entries.insertOne(entry("s1", 51));
          assertConsistent(entries, "s1", List.of(51L));
          return null;
        });
    long total = withServer(file, entries -> entries.countDocuments());
    assertThat(total).isEqualTo(21);
  }

  @Test
  void documentsWithoutANumberInTheRangeFieldAreMatchedAsTheServerWould() {
    withServer(
        null,
        entries -> {
          fill(entries, 1, 10);
          entries.insertMany(
              List.of(
                  new Document("_id", "no-seq").append("sessionId", "s0").append("startedAt", new Date(1)),
                  new Document("_id", "null-seq").append("sessionId", "s0").append("seq", null),
                  new Document("_id", "text-seq").append("sessionId", "s0").append("seq", "3"),
                  new Document("_id", "array-seq").append("sessionId", "s0").append("seq", List.of(2L, 500L)),
                  new Document("_id", "array-high").append("sessionId", "s0").append("seq", List.of(400L, 500L)),
                  new Document("_id", "int-seq").append("sessionId", "s0").append("seq", 4),
                  new Document("_id", "double-seq").append("sessionId", "s0").append("seq", 4.5),
                  new Document("_id", "nan-seq").append("sessionId", "s0").append("seq", Double.NaN)));
          long expected =
              countByScan(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 5)));
          long deleted = deleted(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 5)));
          assertThat(deleted).isEqualTo(expected);
          assertThat(ids(entries.find(Filters.eq("sessionId", "s0")).sort(Sorts.ascending("_id"))))
              .doesNotContain("array-seq", "int-seq", "double-seq", "s0-1", "s0-5")
              .contains("no-seq", "null-seq", "text-seq", "array-high", "s0-6", "s0-10");
          // The (sessionId, seq) index agrees with a scan that does not use it.
          assertThat(entries.countDocuments(Filters.eq("sessionId", "s0")))
              .isEqualTo(countByScan(entries, Filters.eq("sessionId", "s0")));
          return null;
        });
  }

  @Test
  void deletesOfOtherShapesStillDeleteWhatTheyMatch() {
    withServer(
        null,
        entries -> {
          fill(entries, 2, 20);
          // Two bounds, an extra condition, $eq on the session, by _id, by another field alone.
          assertThat(deleted(entries, Filters.and(Filters.eq("sessionId", "s0"), Filters.gt("seq", 2), Filters.lte("seq", 5))))
              .isEqualTo(3);
          assertThat(
                  deleted(
                      entries,
                      Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 10), Filters.eq("tag", "even"))))
              .isEqualTo(4); // 2, 6, 8 and 10 (4 went above)
          assertThat(entries.deleteMany(new Document("sessionId", new Document("$eq", "s1")).append("seq", new Document("$lte", 3))).getDeletedCount())
              .isEqualTo(3);
          assertThat(entries.deleteOne(Filters.eq("_id", "s1-20")).getDeletedCount()).isEqualTo(1);
          assertThat(entries.deleteOne(Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 10))).getDeletedCount())
              .isEqualTo(1);
          // s0: 1, 7, 9, 11, 12 were left; s1: 4 to 12 but the one deleteOne took.
          assertThat(entries.deleteMany(Filters.lte("seq", 12)).getDeletedCount()).isEqualTo(5 + 8);
          assertConsistent(entries, "s0", List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L));
          assertConsistent(entries, "s1", List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L));
          return null;
        });
  }

  @Test
  void theCapsFilterAsTheDriverSendsItIsAnsweredFromTheIndexAndOtherShapesAreNot() {
    // The driver sends Filters.and(...) as a $and of the two conditions.
    assertThat(Filters.and(Filters.eq("sessionId", "s"), Filters.lte("seq", 9)).toBsonDocument().keySet())
        .containsExactly("$and");
    MVStore store = MVStore.open(null);
    try {
      var keys =
          List.of(
              new de.bwaldvogel.mongo.backend.IndexKey("sessionId", true),
              new de.bwaldvogel.mongo.backend.IndexKey("seq", true));
      SecondaryIndex index =
          new SecondaryIndex(store.openMap("i", StoreFormat.secondaryIndexMap(keys)), "i", keys, false);
      de.bwaldvogel.mongo.bson.Document lte = new de.bwaldvogel.mongo.bson.Document("$lte", 9L);
      var session = new de.bwaldvogel.mongo.bson.Document("sessionId", "s");
      var seq = new de.bwaldvogel.mongo.bson.Document("seq", lte);
      assertThat(RangeDelete.of(index, new de.bwaldvogel.mongo.bson.Document("$and", List.of(session, seq))))
          .isEqualTo(new RangeDelete(index, "s", "$lte", 9.0));
      assertThat(RangeDelete.of(index, new de.bwaldvogel.mongo.bson.Document("sessionId", "s").append("seq", lte)))
          .isNotNull();
      // Two bounds, a third condition, no pin, a non-number bound, an $or: the server's way.
      var twoBounds = new de.bwaldvogel.mongo.bson.Document("$lte", 9L).append("$gt", 2L);
      assertThat(RangeDelete.of(index, new de.bwaldvogel.mongo.bson.Document("sessionId", "s").append("seq", twoBounds)))
          .isNull();
      assertThat(
              RangeDelete.of(
                  index,
                  new de.bwaldvogel.mongo.bson.Document("$and", List.of(session, seq, new de.bwaldvogel.mongo.bson.Document("tag", "x")))))
          .isNull();
      assertThat(RangeDelete.of(index, seq)).isNull();
      assertThat(
              RangeDelete.of(
                  index,
                  new de.bwaldvogel.mongo.bson.Document("sessionId", "s")
                      .append("seq", new de.bwaldvogel.mongo.bson.Document("$lte", "9"))))
          .isNull();
      assertThat(RangeDelete.of(index, new de.bwaldvogel.mongo.bson.Document("$or", List.of(session, seq)))).isNull();
    } finally {
      store.close();
    }
  }

  private static long deleted(MongoCollection<Document> entries, Bson filter) {
    return entries.deleteMany(filter).getDeletedCount();
  }

  /** Counts by a query no index can serve ({@code $or}): the server reads every document. */
  private static long countByScan(MongoCollection<Document> entries, Bson filter) {
    long n = 0;
    for (Document d : entries.find(Filters.or(filter, Filters.eq("_id", "never")))) {
      n++;
    }
    return n;
  }

  /**
   * The session's documents are exactly {@code seqs}, whichever index answers: its pin, its sort
   * by seq, a count, by {@code _id}, by the {@code (sessionId, startedAt)} index, and a full scan.
   */
  private static void assertConsistent(MongoCollection<Document> entries, String session, List<Long> seqs) {
    List<String> ids = new ArrayList<>();
    seqs.forEach(seq -> ids.add(session + "-" + seq));
    assertThat(seqOf(entries.find(Filters.eq("sessionId", session)).sort(Sorts.ascending("seq"))))
        .containsExactlyElementsOf(seqs);
    assertThat(seqOf(entries.find(Filters.eq("sessionId", session)).sort(Sorts.descending("seq"))))
        .containsExactlyElementsOf(seqs.reversed());
    assertThat(entries.countDocuments(Filters.eq("sessionId", session))).isEqualTo(seqs.size());
    assertThat(ids(entries.find(Filters.eq("sessionId", session)).projection(Projections.include("_id"))))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(ids(entries.find(Filters.eq("sessionId", session)).sort(Sorts.descending("startedAt"))))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(ids(entries.find(Filters.regex("sessionId", "^" + session + "$"))))
        .containsExactlyInAnyOrderElementsOf(ids);
    for (String id : ids) {
      assertThat(entries.countDocuments(Filters.eq("_id", id))).as(id).isEqualTo(1);
    }
    assertThat(entries.countDocuments(Filters.eq("_id", session + "-0"))).isZero();
    // A deleted _id may be stored again: the _id index no longer holds it.
    long gone = seqs.isEmpty() ? 1 : seqs.getFirst() - 1;
    if (gone >= 1 && !seqs.contains(gone)) {
      entries.insertOne(entry(session, gone));
      entries.deleteOne(Filters.eq("_id", session + "-" + gone));
    }
  }

  private static void fill(MongoCollection<Document> entries, int sessions, int perSession) {
    entries.createIndex(Indexes.ascending("sessionId", "seq"));
    entries.createIndex(Indexes.compoundIndex(Indexes.ascending("sessionId"), Indexes.descending("startedAt")));
    List<Document> docs = new ArrayList<>();
    // Sessions interleaved, as concurrent sessions record.
    for (long seq = 1; seq <= perSession; seq++) {
      for (int s = 0; s < sessions; s++) {
        docs.add(entry("s" + s, seq));
      }
    }
    entries.insertMany(docs);
  }

  private static Document entry(String session, long seq) {
    return new Document("_id", session + "-" + seq)
        .append("sessionId", session)
        .append("seq", seq)
        .append("startedAt", new Date(1_000_000L + seq))
        .append("tag", seq % 2 == 0 ? "even" : "odd")
        .append("text", "x".repeat(2048));
  }

  private static List<Long> range(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }

  private static List<Long> seqOf(Iterable<Document> documents) {
    List<Long> seqs = new ArrayList<>();
    documents.forEach(d -> seqs.add(d.getLong("seq")));
    return seqs;
  }

  private static List<String> ids(Iterable<Document> documents) {
    List<String> ids = new ArrayList<>();
    documents.forEach(d -> ids.add(d.getString("_id")));
    return ids;
  }

  /** Runs {@code work} on the entries collection of a server over the store file (in memory when null). */
  static <T> T withServer(Path file, Function<MongoCollection<Document>, T> work) {
    IndexedH2Backend backend =
        new IndexedH2Backend(file == null ? MVStore.open(null) : StoreFormat.open(file));
    backend.version(ServerVersion.MONGO_5_0);
    MongoServer server = new MongoServer(backend);
    try (MongoClient client = MongoClients.create("mongodb://" + hostAndPort(server.bind()))) {
      return work.apply(client.getDatabase("test").getCollection("entries"));
    } finally {
      server.shutdown();
    }
  }

  private static String hostAndPort(java.net.InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
