package dev.tapedeck.storage.entry;

import static dev.tapedeck.storage.entry.Exchanges.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryWriterTest {

  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");

  @TempDir Path dir;
  private MongoWireServer server;
  private MongoDatabase database;
  private EntryRepository repository;
  private final ExchangesTopic topic = new ExchangesTopic();

  @BeforeEach
  void startServer() {
    server = new MongoWireServer(dir);
    database = server.database("tapedeck");
    repository = new EntryRepository(database);
    repository.ensureIndexes();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private EntryWriter writer(int cap) {
    return new EntryWriter(
        repository,
        new SessionSequences(database),
        new IngestedOffsets(database),
        new SessionCap(repository, new SessionSequences(database), cap),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void storesTheExchangeLosslesslyWithItsQueryFields() {
    CapturedExchange exchange = exchange("s1", "e1");

    WriteOutcome outcome = writer(1000).write(topic.publish(exchange));

    assertThat(outcome.stored())
        .singleElement()
        .satisfies(s -> assertThat(s.sequence()).isEqualTo(1));
    Document stored = repository.find("e1").orElseThrow();
    assertThat(stored.getString("sessionId")).isEqualTo("s1");
    assertThat(stored.getString("method")).isEqualTo("GET");
    assertThat(stored.getString("host")).isEqualTo("api.example.test");
    assertThat(stored.getString("path")).isEqualTo("/items/e1");
    assertThat(stored.getInteger("status")).isEqualTo(200);
    assertThat(stored.getDouble("durationMs")).isEqualTo(12.5);
    assertThat(stored.getString("entryType")).isEqualTo("HTTP");
    assertThat(stored.getDate("storedAt").toInstant()).isEqualTo(NOW);
    assertThat(stored.getDate("startedAt").toInstant())
        .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(EntryDocuments.exchange(stored)).isEqualTo(exchange);
    assertThat(EntryDocuments.toStoredEntry(stored).getStoredAtUnixMicros())
        .isEqualTo(NOW.toEpochMilli() * 1000);
  }

  @Test
  void storesTheRecordsOwnBytesAndThoseOfAnImportedExchange() {
    CapturedExchange exchange = exchange("s1", "e1");
    // A record's value with an unknown field (from a newer proxy) after the known ones: stored as
    // received, so nothing the proxy sent is lost.
    byte[] unknownField = {(byte) 0xF8, (byte) 0xFF, 0x03, 0x01}; // field 8191, varint 1
    byte[] value = new byte[exchange.getSerializedSize() + unknownField.length];
    System.arraycopy(exchange.toByteArray(), 0, value, 0, exchange.getSerializedSize());
    System.arraycopy(unknownField, 0, value, exchange.getSerializedSize(), unknownField.length);
    CapturedExchange received = parse(value);
    CapturedExchange imported = exchange("s1", "e2");

    EntryWriter writer = writer(1000);
    writer.write(
        List.of(new SourcedExchange(received, value, new RecordPosition("tapedeck.exchanges.v1", 0, 0))));
    writer.writeImported(List.of(imported));

    assertThat(repository.find("e1").orElseThrow().get("exchange", Binary.class).getData())
        .isEqualTo(value);
    assertThat(repository.find("e2").orElseThrow().get("exchange", Binary.class).getData())
        .isEqualTo(imported.toByteArray());
  }

  private static CapturedExchange parse(byte[] value) {
    try {
      return CapturedExchange.parseFrom(value);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void redeliveredBatchKeepsOneDocumentAndOneSequencePerEntry() {
    EntryWriter writer = writer(1000);
    List<SourcedExchange> batch = topic.publish(exchange("s1", "e1"), exchange("s1", "e2"));
    writer.write(batch);

    WriteOutcome again = writer.write(batch);

    assertThat(again.stored()).isEmpty();
    assertThat(again.duplicates()).isEqualTo(2);
    assertThat(repository.count("s1")).isEqualTo(2);
    assertThat(repository.find("e2").orElseThrow().getLong("seq")).isEqualTo(2);
    assertThat(writer.write(topic.publish(exchange("s1", "e3"))).stored())
        .extracting(WriteOutcome.Stored::sequence)
        .containsExactly(3L);
  }

  @Test
  void rewritingTheSameEntryIdKeepsOneDocumentAndOneSequence() {
    EntryWriter writer = writer(1000);
    writer.write(topic.publish(exchange("s1", "e1"), exchange("s1", "e2")));

    // The proxy published e1 again: a new record with the same entry id.
    WriteOutcome again = writer.write(topic.publish(exchange("s1", "e1"), exchange("s1", "e3")));

    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(again.stored()).extracting(s -> s.exchange().getEntryId()).containsExactly("e3");
    assertThat(again.stored()).extracting(WriteOutcome.Stored::sequence).containsExactly(3L);
    assertThat(database.getCollection("entries").countDocuments(Filters.eq("_id", "e1")))
        .isEqualTo(1);
    assertThat(repository.find("e1").orElseThrow().getLong("seq")).isEqualTo(1);
    assertThat(repository.count("s1")).isEqualTo(3);
  }

  @Test
  void sameEntryIdTwiceInOneBatchIsStoredOnce() {
    WriteOutcome outcome =
        writer(1000)
            .write(topic.publish(exchange("s1", "e1"), exchange("s1", "e1"), exchange("s1", "e2")));

    assertThat(outcome.duplicates()).isEqualTo(1);
    assertThat(outcome.stored())
        .extracting(s -> s.exchange().getEntryId() + "#" + s.sequence())
        .containsExactly("e1#1", "e2#2");
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e1", "e2");
  }

  @Test
  void sequenceIncrementsPerSession() {
    WriteOutcome outcome =
        writer(1000)
            .write(
                topic.publish(
                    exchange("a", "a1"),
                    exchange("b", "b1"),
                    exchange("a", "a2"),
                    exchange("a", "a3"),
                    exchange("b", "b2")));

    assertThat(outcome.stored())
        .extracting(s -> s.exchange().getEntryId() + "#" + s.sequence())
        .containsExactly("a1#1", "b1#1", "a2#2", "a3#3", "b2#2");
  }

  @Test
  void capEvictsTheOldestEntriesFirst() {
    EntryWriter writer = writer(3);
    writer.write(
        topic.publish(IntStream.rangeClosed(1, 3).mapToObj(i -> exchange("s1", "e" + i)).toList()));
    writer.write(topic.publish(exchange("other", "o1")));

    WriteOutcome outcome = writer.write(topic.publish(exchange("s1", "e4"), exchange("s1", "e5")));

    assertThat(outcome.evicted())
        .containsExactly(new EntryRef("s1", "e1", 1), new EntryRef("s1", "e2", 2));
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e3", "e4", "e5");
    assertThat(repository.count("other")).isEqualTo(1);
  }

  @Test
  void redeliveryAfterEvictionDoesNotBringEvictedEntriesBack() {
    EntryWriter writer = writer(2);
    List<SourcedExchange> batch =
        topic.publish(exchange("s1", "e1"), exchange("s1", "e2"), exchange("s1", "e3"));
    assertThat(writer.write(batch).evicted()).extracting(EntryRef::entryId).containsExactly("e1");

    WriteOutcome redelivered = writer.write(batch);

    assertThat(redelivered.stored()).isEmpty();
    assertThat(redelivered.duplicates()).isEqualTo(3);
    assertThat(redelivered.evicted()).isEmpty();
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e2", "e3");
  }

  @Test
  void redeliveryAfterTheSessionWasClearedStoresNothing() {
    EntryWriter writer = writer(1000);
    List<SourcedExchange> batch = topic.publish(exchange("s1", "e1"), exchange("s1", "e2"));
    writer.write(batch);
    repository.deleteSession("s1");

    assertThat(writer.write(batch).stored()).isEmpty();
    assertThat(repository.count("s1")).isZero();
  }

  @Test
  void retriedBatchFinishesAnEvictionThatWasInterrupted() {
    List<SourcedExchange> batch =
        topic.publish(exchange("s1", "e1"), exchange("s1", "e2"), exchange("s1", "e3"));
    writer(1000).write(batch);

    // As if the first attempt stopped after storing, before evicting down to a cap of 2.
    WriteOutcome retried = writer(2).write(batch);

    assertThat(retried.evicted()).extracting(EntryRef::entryId).containsExactly("e1");
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e2", "e3");
  }

  @Test
  void capCountsEntriesNotSequenceNumbersAfterDeletions() {
    EntryWriter writer = writer(3);
    writer.write(topic.publish(exchange("s1", "e1"), exchange("s1", "e2"), exchange("s1", "e3")));
    repository.deleteOne("s1", "e2");

    // Sequence 4 is beyond the cap, but the session holds 3 entries again: nothing to evict.
    WriteOutcome fourth = writer.write(topic.publish(exchange("s1", "e4")));
    WriteOutcome fifth = writer.write(topic.publish(exchange("s1", "e5")));

    assertThat(fourth.evicted()).isEmpty();
    assertThat(fifth.evicted()).extracting(EntryRef::entryId).containsExactly("e1");
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e3", "e4", "e5");
  }

  @Test
  void batchBeyondTheCapEvictsEveryOlderEntryInOneRangeAndNamesEachOne() {
    EntryWriter writer = writer(3);
    writer.write(topic.publish(exchange("s1", "e1"), exchange("s1", "e2"), exchange("s1", "e3")));

    // Five more in one batch: the three held and the two oldest new ones go, oldest first.
    WriteOutcome outcome =
        writer.write(
            topic.publish(
                IntStream.rangeClosed(4, 8).mapToObj(i -> exchange("s1", "e" + i)).toList()));

    assertThat(outcome.evicted())
        .extracting(r -> r.entryId() + "#" + r.sequence())
        .containsExactly("e1#1", "e2#2", "e3#3", "e4#4", "e5#5");
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e6", "e7", "e8");
    assertThat(writer.write(topic.publish(exchange("s1", "e9"))).evicted())
        .extracting(EntryRef::entryId)
        .containsExactly("e6");
  }

  @Test
  void newEntriesTheirOwnBatchPushesOutOfTheCapAreReportedButNeverWritten() {
    List<String> inserted = new CopyOnWriteArrayList<>();
    MongoDatabase watched = server.database("tapedeck", insertedEntryIds(inserted));
    EntryRepository watchedRepository = new EntryRepository(watched, 16);
    SessionSequences sequences = new SessionSequences(watched);
    EntryWriter writer =
        new EntryWriter(
            watchedRepository,
            sequences,
            new IngestedOffsets(watched),
            new SessionCap(watchedRepository, sequences, 3),
            Clock.fixed(NOW, ZoneOffset.UTC));
    writer.write(topic.publish(bodied("s1", "e1"), bodied("other", "o1")));

    // Six new entries of s1 against a cap of 3, one of "other": e2 to e4 would be evicted as
    // soon as written, and e1 with them.
    WriteOutcome outcome =
        writer.write(
            topic.publish(
                bodied("s1", "e2"),
                bodied("s1", "e3"),
                bodied("other", "o2"),
                bodied("s1", "e4"),
                bodied("s1", "e5"),
                bodied("s1", "e6"),
                bodied("s1", "e7")));

    assertThat(inserted).containsExactly("e1", "o1", "o2", "e5", "e6", "e7");
    assertThat(outcome.evictedAtOnce()).isEqualTo(3);
    assertThat(outcome.stored())
        .extracting(s -> s.exchange().getEntryId() + "#" + s.sequence())
        .containsExactly("e2#2", "e3#3", "o2#2", "e4#4", "e5#5", "e6#6", "e7#7");
    assertThat(outcome.evicted())
        .extracting(r -> r.sessionId() + "/" + r.entryId() + "#" + r.sequence())
        .containsExactly("s1/e1#1", "s1/e2#2", "s1/e3#3", "s1/e4#4");
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e5", "e6", "e7");
    assertThat(listIds(EntryQuery.all("other"))).containsExactly("o1", "o2");
    // Nothing of theirs reached GridFS either: only the bodies of the entries held are there.
    assertThat(watched.getCollection(BodyStore.BUCKET + ".files").countDocuments()).isEqualTo(5);
    assertThat(writer.write(topic.publish(bodied("s1", "e8"))).evicted())
        .extracting(EntryRef::entryId)
        .containsExactly("e5");
  }

  @Test
  void anImportBeyondTheCapKeepsTheNewestEntries() {
    List<CapturedExchange> imported =
        IntStream.rangeClosed(1, 7).mapToObj(i -> exchange("s1", "e" + i)).toList();

    WriteOutcome outcome = writer(3).writeImported(imported);

    assertThat(outcome.stored()).hasSize(7);
    assertThat(outcome.evicted()).extracting(EntryRef::entryId).containsExactly("e1", "e2", "e3", "e4");
    assertThat(outcome.evictedAtOnce()).isEqualTo(4);
    assertThat(listIds(EntryQuery.all("s1"))).containsExactly("e5", "e6", "e7");
  }

  /** An exchange whose response body (64 bytes) goes to GridFS at the test's threshold of 16. */
  private static CapturedExchange bodied(String sessionId, String entryId) {
    return Exchanges.withResponseBody(exchange(sessionId, entryId), new byte[64]);
  }

  private static CommandListener insertedEntryIds(List<String> into) {
    return new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        BsonDocument command = event.getCommand();
        if (event.getCommandName().equals("insert")
            && command.getString("insert").getValue().equals(EntryRepository.COLLECTION)) {
          command
              .getArray("documents")
              .forEach(d -> into.add(d.asDocument().getString("_id").getValue()));
        }
      }
    };
  }

  @Test
  void largeBatchKeepsBatchOrderSequencesAndLosslessDocuments() {
    List<CapturedExchange> exchanges = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      exchanges.add(exchange(i % 2 == 0 ? "even" : "odd", "e" + i));
    }

    WriteOutcome outcome = writer(1000).write(topic.publish(exchanges));

    assertThat(outcome.stored()).hasSize(500);
    for (int i = 1; i <= 500; i++) {
      WriteOutcome.Stored stored = outcome.stored().get(i - 1);
      assertThat(stored.exchange().getEntryId()).isEqualTo("e" + i);
      assertThat(stored.sequence()).isEqualTo((i + 1) / 2);
      Document document = repository.find("e" + i).orElseThrow();
      assertThat(document.getLong("seq")).isEqualTo((i + 1) / 2);
      assertThat(EntryDocuments.exchange(document)).isEqualTo(exchanges.get(i - 1));
    }
    assertThat(listIds(EntryQuery.all("even")).getFirst()).isEqualTo("e2");
  }

  private List<String> listIds(EntryQuery query) {
    List<String> ids = new ArrayList<>();
    try (var cursor = repository.list(query)) {
      cursor.forEachRemaining(d -> ids.add(d.getString("_id")));
    }
    return ids;
  }
}
