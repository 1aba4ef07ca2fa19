package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data map keeps documents as their BSON bytes and decodes them, or only the fields a delete
 * or a covered projection needs, when read: what comes back is what was stored.
 */
class StoredDocumentsTest {

  @TempDir Path dir;

  @Test
  void onlyTheNamedTopLevelFieldsAreDecodedAndTheyEqualAWholeDecode() {
    de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document();
    document.put("_id", "e-1");
    document.put("double", 1.5);
    document.put("string", "héllo");
    document.put("sub", new de.bwaldvogel.mongo.bson.Document("a", 1).append("b", List.of(1, 2)));
    document.put("array", List.of("x", 2L, new de.bwaldvogel.mongo.bson.Document("c", true)));
    document.put("binary", new BinData(new byte[] {1, 2, 3}));
    document.put("objectId", new ObjectId());
    document.put("bool", true);
    document.put("date", Instant.ofEpochMilli(1_700_000_000_000L));
    document.put("null", null);
    document.put("regex", new BsonRegularExpression("^a.*", "i"));
    document.put("int", 7);
    document.put("long", 8L);
    document.put("decimal", new Decimal128(new BigDecimal("1.25")));
    document.put("min", MinKey.getInstance());
    document.put("max", MaxKey.getInstance());
    document.put("seq", 42L);

    byte[] stored = BsonTypes.encode(document);

    // Compared as BSON bytes: some value types (regular expressions) have no equals.
    de.bwaldvogel.mongo.bson.Document whole = BsonTypes.document(stored);
    assertThat(whole.keySet()).containsExactlyElementsOf(document.keySet());
    assertThat(BsonTypes.encode(whole)).isEqualTo(stored);
    for (String field : document.keySet()) {
      de.bwaldvogel.mongo.bson.Document one = BsonTypes.fields(stored, Set.of(field));
      assertThat(one.keySet()).as(field).containsExactly(field);
      assertThat(BsonTypes.encode(one))
          .as(field)
          .isEqualTo(BsonTypes.encode(new de.bwaldvogel.mongo.bson.Document(field, whole.get(field))));
    }
    de.bwaldvogel.mongo.bson.Document some = BsonTypes.fields(stored, Set.of("seq", "_id", "sub"));
    assertThat(new ArrayList<>(some.keySet())).containsExactly("_id", "sub", "seq");
    assertThat(some.get("sub")).isEqualTo(document.get("sub"));
    assertThat(BsonTypes.fields(stored, Set.of("absent"))).isEmpty();
    assertThat(BsonTypes.fields(null, Set.of("seq"))).isNull();
  }

  @Test
  void theReadingStopsOnceEveryNamedFieldIsFound() {
    de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document("_id", "e1");
    document.put("seq", 7L);
    document.put("text", "the rest of the entry");
    byte[] stored = BsonTypes.encode(document);
    // The type byte of "text" (after the length, _id and seq) made one BSON does not have: any
    // reading of that field fails.
    int textType = 4 + (1 + 4 + 4 + 3) + (1 + 4 + 8);
    assertThat(stored[textType]).isEqualTo((byte) 0x02);
    stored[textType] = 0x7E;

    de.bwaldvogel.mongo.bson.Document keys = BsonTypes.fields(stored, Set.of("_id", "seq"));

    assertThat(keys).containsEntry("_id", "e1").containsEntry("seq", 7L).hasSize(2);
  }

  @Test
  void aSortedPageProjectedToTopLevelFieldsReturnsExactlyThoseFieldsAsStored() {
    Path file = dir.resolve("data.mv");
    RangeDeleteTest.withServer(
        file,
        entries -> {
          entries.createIndex(Indexes.ascending("sessionId", "seq"));
          for (long seq = 1; seq <= 20; seq++) {
            entries.insertOne(entry("s1", seq));
          }
          Bson session = Filters.eq("sessionId", "s1");
          // The session cap's lookup: id and sequence of all but the newest 15, newest first.
          List<Document> beyond =
              entries
                  .find(session)
                  .projection(Projections.include("_id", "seq"))
                  .sort(Sorts.descending("seq"))
                  .skip(15)
                  .into(new ArrayList<>());
          assertThat(beyond)
              .containsExactly(
                  new Document("_id", "e-s1-5").append("seq", 5L),
                  new Document("_id", "e-s1-4").append("seq", 4L),
                  new Document("_id", "e-s1-3").append("seq", 3L),
                  new Document("_id", "e-s1-2").append("seq", 2L),
                  new Document("_id", "e-s1-1").append("seq", 1L));
          assertThat(
                  entries
                      .find(session)
                      .projection(Projections.fields(Projections.include("seq"), Projections.excludeId()))
                      .sort(Sorts.ascending("seq"))
                      .limit(2)
                      .into(new ArrayList<>()))
              .containsExactly(new Document("seq", 1L), new Document("seq", 2L));
          // Excluding only _id keeps every other field: the whole document is read.
          Document withoutId = entry("s1", 20);
          withoutId.remove("_id");
          assertThat(
                  entries
                      .find(session)
                      .projection(Projections.excludeId())
                      .sort(Sorts.descending("seq"))
                      .first())
              .isEqualTo(withoutId);
          return null;
        });
    RangeDeleteTest.withServer(
        file,
        entries -> {
          assertThat(entries.find(Filters.eq("_id", "e-s1-7")).first()).isEqualTo(entry("s1", 7));
          assertThat(
                  entries
                      .deleteMany(Filters.and(Filters.eq("sessionId", "s1"), Filters.lte("seq", 10)))
                      .getDeletedCount())
              .isEqualTo(10);
          assertThat(entries.find(Filters.eq("sessionId", "s1")).sort(Sorts.ascending("seq")).into(new ArrayList<>()))
              .hasSize(10)
              .first()
              .isEqualTo(entry("s1", 11));
          return null;
        });
  }

  private static Document entry(String session, long seq) {
    return new Document("_id", "e-" + session + "-" + seq)
        .append("sessionId", session)
        .append("seq", seq)
        .append("startedAt", new Date(1_700_000_000_000L + seq))
        .append("exchange", new Binary(new byte[] {(byte) seq, 2, 3}))
        .append("text", "body " + "x".repeat(2000) + seq)
        .append("tags", List.of());
  }
}
