package dev.tapedeck.devstack.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Tapedeck asks of its MongoDB, asked the way storage-service and control-service ask it
 * (the MongoDB Java driver, the indexes storage creates, entry documents of its shape): one suite,
 * run against the embedded Mongo-wire server ({@link EmbeddedStoreContractTest}) and, where a Docker
 * engine exists, against a real MongoDB ({@link MongoDbStoreContractTest}), so the embedded store
 * answers as MongoDB does.
 */
abstract class StoreContract {
  private MongoClient client;
  MongoCollection<Document> entries;

  /** A connection string to a store with no data of this test's database. */
  abstract String connectionString();

  /** Stops the store and starts it again on the same data; false if this store cannot. */
  abstract boolean restart();

  /** Starts the store for one test, if it is started per test. */
  void startStore() {}

  /** Stops what {@link #startStore} started. */
  void stopStore() {}

  @BeforeEach
  void connect() {
    startStore();
    open();
    entries.drop();
    // The indexes storage-service creates (EntryRepository.ensureIndexes).
    entries.createIndex(Indexes.ascending("sessionId", "seq"));
    entries.createIndex(
        Indexes.compoundIndex(Indexes.ascending("sessionId"), Indexes.descending("startedAt")));
  }

  private void open() {
    client = MongoClients.create(connectionString());
    entries = client.getDatabase("tapedeck_contract").getCollection("entries");
  }

  @AfterEach
  void disconnect() {
    client.close();
    stopStore();
  }

  @Test
  void insertedEntryIsFoundByIdWithEveryField() {
    Document entry = entry("e1", "s1", 1, "GET", "http://a.test/x", "hello");
    entries.insertOne(entry);
    Document found = entries.find(Filters.eq("_id", "e1")).first();
    assertThat(found).isEqualTo(entry);
    assertThat(found.get("exchange", Binary.class).getData()).hasSize(2048);
  }

  @Test
  void unorderedInsertManyStoresAllButTheDuplicateIdsAndNamesThem() {
    entries.insertOne(entry("dup", "s1", 1, "GET", "http://a.test/", ""));
    List<Document> batch =
        List.of(
            entry("n1", "s1", 2, "GET", "http://a.test/", ""),
            entry("dup", "s1", 3, "GET", "http://a.test/", ""),
            entry("n2", "s1", 4, "GET", "http://a.test/", ""));
    assertThatThrownBy(() -> entries.insertMany(batch, new InsertManyOptions().ordered(false)))
        .isInstanceOfSatisfying(
            MongoBulkWriteException.class,
            e -> {
              assertThat(e.getWriteErrors()).hasSize(1);
              assertThat(e.getWriteErrors().getFirst().getIndex()).isEqualTo(1);
              assertThat(ErrorCategory.fromErrorCode(e.getWriteErrors().getFirst().getCode()))
                  .isEqualTo(ErrorCategory.DUPLICATE_KEY);
            });
    assertThat(ids(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq"))))
        .containsExactly("dup", "n1", "n2");
    assertThat(entries.find(Filters.eq("_id", "dup")).first().getLong("seq")).isEqualTo(1L);
  }

  @Test
  void sessionIsListedInSequenceOrderWithSkipLimitAndRanges() {
    fill(3, 60);
    assertThat(seqs(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq"))))
        .hasSize(60)
        .isSorted();
    assertThat(
            seqs(
                entries
                    .find(Filters.eq("sessionId", "s2"))
                    .sort(Sorts.descending("seq"))
                    .skip(5)
                    .limit(3)))
        .containsExactly(55L, 54L, 53L);
    assertThat(
            seqs(
                entries
                    .find(Filters.and(Filters.eq("sessionId", "s0"), Filters.gt("seq", 50)))
                    .sort(Sorts.ascending("seq"))
                    .skip(2)
                    .limit(4)))
        .containsExactly(53L, 54L, 55L, 56L);
    // The cap's lookup: the sequence beyond the newest N, sequence only.
    Document beyond =
        entries
            .find(Filters.eq("sessionId", "s1"))
            .projection(Projections.fields(Projections.include("seq"), Projections.excludeId()))
            .sort(Sorts.descending("seq"))
            .skip(50)
            .limit(1)
            .first();
    assertThat(beyond).isEqualTo(new Document("seq", 10L));
    assertThat(entries.find(Filters.eq("sessionId", "nobody")).sort(Sorts.ascending("seq")).first())
        .isNull();
  }

  @Test
  void countDocumentsCountsOneSessionOrSeveralWithSkipAndLimit() {
    fill(3, 40);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"))).isEqualTo(40);
    assertThat(entries.countDocuments(Filters.in("sessionId", List.of("s0", "s2", "none"))))
        .isEqualTo(80);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"), new CountOptions().skip(35).limit(10)))
        .isEqualTo(5);
    assertThat(
            entries.countDocuments(
                Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 15))))
        .isEqualTo(15);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "nobody"))).isZero();
  }

  @Test
  void rangeDeleteBySessionAndSequenceRemovesExactlyThatRange() {
    fill(2, 100);
    long deleted =
        entries
            .deleteMany(Filters.and(Filters.eq("sessionId", "s0"), Filters.lte("seq", 70)))
            .getDeletedCount();
    assertThat(deleted).isEqualTo(70);
    assertThat(seqs(entries.find(Filters.eq("sessionId", "s0")).sort(Sorts.ascending("seq"))))
        .hasSize(30)
        .startsWith(71L);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "s0"))).isEqualTo(30);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"))).isEqualTo(100);
    // Deleted ids may be written again, and the ones left are still found by id.
    entries.insertOne(entry("s0-1", "s0", 101, "GET", "http://a.test/", ""));
    assertThat(entries.find(Filters.eq("_id", "s0-1")).first().getLong("seq")).isEqualTo(101L);
    assertThat(entries.find(Filters.eq("_id", "s0-71")).first()).isNotNull();
  }

  @Test
  void updatedAndDeletedEntriesAreFoundOrGoneThroughTheIndexes() {
    fill(1, 10);
    entries.updateOne(
        Filters.and(Filters.eq("_id", "s0-3"), Filters.eq("sessionId", "s0")),
        Updates.combine(Updates.set("tags", List.of("slow")), Updates.set("notes", "n")));
    entries.updateOne(Filters.eq("_id", "s0-4"), Updates.set("sessionId", "moved"));
    entries.deleteOne(Filters.and(Filters.eq("_id", "s0-5"), Filters.eq("sessionId", "s0")));
    assertThat(entries.find(Filters.eq("_id", "s0-3")).first().getList("tags", String.class))
        .containsExactly("slow");
    assertThat(ids(entries.find(Filters.eq("sessionId", "moved")))).containsExactly("s0-4");
    assertThat(seqs(entries.find(Filters.eq("sessionId", "s0")).sort(Sorts.ascending("seq"))))
        .containsExactly(1L, 2L, 3L, 6L, 7L, 8L, 9L, 10L);
    assertThat(entries.deleteMany(Filters.eq("sessionId", "s0")).getDeletedCount()).isEqualTo(8);
    assertThat(entries.countDocuments()).isEqualTo(1);
  }

  @Test
  void uniqueIndexRefusesASecondDocumentWithTheSameValue() {
    MongoCollection<Document> users =
        client.getDatabase("tapedeck_contract").getCollection("users");
    users.drop();
    users.createIndex(Indexes.ascending("keyHash"), new IndexOptions().unique(true).name("keyHash_unique"));
    users.insertOne(new Document("_id", "u1").append("keyHash", "h1"));
    assertThatThrownBy(() -> users.insertOne(new Document("_id", "u2").append("keyHash", "h1")))
        .isInstanceOfSatisfying(
            MongoWriteException.class,
            e -> assertThat(ErrorCategory.fromErrorCode(e.getCode()))
                .isEqualTo(ErrorCategory.DUPLICATE_KEY));
    assertThatThrownBy(() -> users.insertOne(new Document("_id", "u1").append("keyHash", "h2")))
        .isInstanceOf(MongoWriteException.class);
    assertThat(users.find(Filters.eq("keyHash", "h1")).first().getString("_id")).isEqualTo("u1");
    assertThat(users.countDocuments()).isEqualTo(1);
  }

  @Test
  void textSearchAcrossSessionsMatchesUrlWithoutCaseAndTextAsLowerCase() {
    entries.insertMany(
        List.of(
            entry("a", "s1", 1, "GET", "http://api.test/Needle/1", "nothing"),
            entry("b", "s2", 2, "POST", "http://api.test/2", "body with needle inside"),
            entry("c", "s3", 1, "GET", "http://api.test/3", "nothing"),
            entry("d", "s2", 3, "GET", "http://api.test/4", "needle again")));
    Pattern anyCase = Pattern.compile(Pattern.quote("needle"), Pattern.CASE_INSENSITIVE);
    Pattern literal = Pattern.compile(Pattern.quote("needle"));
    List<String> found =
        ids(
            entries
                .find(
                    Filters.and(
                        Filters.in("sessionId", List.of("s1", "s2", "s3")),
                        Filters.or(Filters.regex("url", anyCase), Filters.regex("text", literal))))
                .projection(Projections.exclude("text"))
                .sort(Sorts.orderBy(Sorts.descending("startedAt"), Sorts.descending("seq"))));
    assertThat(found).containsExactly("d", "b", "a");
    assertThat(
            entries.countDocuments(
                Filters.and(Filters.eq("sessionId", "s2"), Filters.in("method", List.of("POST")))))
        .isEqualTo(1);
    assertThat(entries.countDocuments(Filters.regex("text", literal))).isEqualTo(2);
  }

  @Test
  void entriesAndIndexesSurviveARestartOfTheStore() {
    fill(3, 30);
    entries.deleteMany(Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 10)));
    assumeTrue(restartAndReconnect(), "this store cannot be restarted by the test");
    assertThat(seqs(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.descending("seq")).limit(3)))
        .containsExactly(30L, 29L, 28L);
    assertThat(entries.countDocuments(Filters.eq("sessionId", "s1"))).isEqualTo(20);
    assertThat(entries.countDocuments()).isEqualTo(80);
    entries.insertOne(entry("after", "s1", 31, "GET", "http://a.test/", ""));
    assertThat(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.descending("seq")).first().getString("_id"))
        .isEqualTo("after");
  }

  private boolean restartAndReconnect() {
    client.close();
    boolean restarted = restart();
    open();
    return restarted;
  }

  void fill(int sessions, int perSession) {
    List<Document> docs = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      // Inserted newest first, so order comes from the sort, not from insertion.
      for (long seq = perSession; seq >= 1; seq--) {
        docs.add(entry("s" + s + "-" + seq, "s" + s, seq, "GET", "http://a.test/" + seq, "t" + seq));
      }
    }
    entries.insertMany(docs, new InsertManyOptions().ordered(false));
  }

  /** An entry document as storage-service writes it (EntryDocuments), with a 2 KiB exchange. */
  static Document entry(String id, String session, long seq, String method, String url, String text) {
    return new Document("_id", id)
        .append("sessionId", session)
        .append("seq", seq)
        .append("storedAt", new Date(1_700_000_000_000L + seq))
        .append("startedAt", new Date(1_700_000_000_000L + seq))
        .append("entryType", "HTTP")
        .append("method", method)
        .append("url", url)
        .append("host", "a.test")
        .append("path", "/")
        .append("status", 200)
        .append("durationMs", 1.5)
        .append("tags", List.of())
        .append("notes", "")
        .append("text", text)
        .append("exchange", new Binary(new byte[2048]));
  }

  static List<Long> seqs(Iterable<Document> documents) {
    List<Long> seqs = new ArrayList<>();
    documents.forEach(d -> seqs.add(d.getLong("seq")));
    return seqs;
  }

  static List<String> ids(Iterable<Document> documents) {
    List<String> ids = new ArrayList<>();
    documents.forEach(d -> ids.add(d.getString("_id")));
    return ids;
  }
}
