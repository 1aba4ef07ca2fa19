package dev.tapedeck.storage.entry;

import static dev.tapedeck.storage.entry.Exchanges.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryRepositoryTest {

  @TempDir static Path dir;
  private static MongoWireServer server;
  private static EntryRepository repository;
  private static EntryWriter writer;
  private static ExchangesTopic topic;

  @BeforeAll
  static void storeTenEntries() {
    server = new MongoWireServer(dir);
    var database = server.database("tapedeck");
    repository = new EntryRepository(database);
    repository.ensureIndexes();
    writer =
        new EntryWriter(
            repository,
            new SessionSequences(database),
            new IngestedOffsets(database),
            new SessionCap(repository, new SessionSequences(database), 1000),
            Clock.systemUTC());
    topic = new ExchangesTopic();
    writer.write(
        topic.publish(
            IntStream.rangeClosed(1, 10).mapToObj(i -> exchange("s1", "e" + i)).toList()));
    writer.write(topic.publish(exchange("s2", "x1")));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void listsInSequenceOrder() {
    assertThat(ids(EntryQuery.all("s1")))
        .containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10");
  }

  @Test
  void listsAPageByOffsetAndLimit() {
    assertThat(ids(new EntryQuery("s1", 3, 4, false, List.of())))
        .containsExactly("e4", "e5", "e6", "e7");
  }

  @Test
  void listsNewestFirst() {
    assertThat(ids(new EntryQuery("s1", 0, 3, true, List.of()))).containsExactly("e10", "e9", "e8");
    assertThat(ids(new EntryQuery("s1", 8, 0, true, List.of()))).containsExactly("e2", "e1");
    // Cursor paging: after a sequence, in either order.
    assertThat(ids(new EntryQuery("s1", 0, 3, false, List.of(), 4))).containsExactly("e5", "e6", "e7");
    assertThat(ids(new EntryQuery("s1", 0, 3, true, List.of(), 4))).containsExactly("e3", "e2", "e1");
    assertThat(ids(new EntryQuery("s1", 0, 3, false, List.of(), 10))).isEmpty();
  }

  @Test
  void listsOnlyTheRequestedEntryIdsOfTheSession() {
    assertThat(ids(new EntryQuery("s1", 0, 0, false, List.of("e7", "e2", "x1", "missing"))))
        .containsExactly("e2", "e7");
  }

  @Test
  void listingAnUnknownSessionIsEmpty() {
    assertThat(ids(EntryQuery.all("nope"))).isEmpty();
  }

  @Test
  void countsPerSession() {
    assertThat(repository.count("s1")).isEqualTo(10);
    assertThat(repository.count("s2")).isEqualTo(1);
    assertThat(repository.count("nope")).isZero();
  }

  @Test
  void storedEntryCarriesSequenceAndExchange() {
    var entry = EntryDocuments.toStoredEntry(repository.find("e3").orElseThrow());
    assertThat(entry.getSequence()).isEqualTo(3);
    assertThat(entry.getExchange()).isEqualTo(exchange("s1", "e3"));
    assertThat(entry.getTagsList()).isEmpty();
  }

  @Test
  void deletesASessionOnly() {
    var database = server.database("delete-test");
    EntryRepository repo = new EntryRepository(database);
    new EntryWriter(
            repo,
            new SessionSequences(database),
            new IngestedOffsets(database),
            new SessionCap(repo, new SessionSequences(database), 10),
            Clock.systemUTC())
        .write(
            new ExchangesTopic()
                .publish(exchange("a", "a1"), exchange("a", "a2"), exchange("b", "b1")));

    assertThat(repo.deleteSession("a")).isEqualTo(2);
    assertThat(repo.count("a")).isZero();
    assertThat(repo.count("b")).isEqualTo(1);
  }

  private static List<String> ids(EntryQuery query) {
    List<String> ids = new ArrayList<>();
    try (var cursor = repository.list(query)) {
      cursor.forEachRemaining(d -> ids.add(d.getString("_id")));
    }
    return ids;
  }

  @Test
  void annotatesTagsAndNotesOfAnEntryInItsSessionOnly() {
    assertThat(repository.annotate("s1", "x1", List.of("bug"), "wrong session")).isEmpty();

    var tagged = repository.annotate("s2", "x1", List.of("bug", "slow"), null).orElseThrow();
    assertThat(tagged.getList(EntryDocuments.TAGS, String.class)).containsExactly("bug", "slow");
    var noted = repository.annotate("s2", "x1", null, "look at this").orElseThrow();
    assertThat(noted.getList(EntryDocuments.TAGS, String.class)).containsExactly("bug", "slow");
    assertThat(noted.getString(EntryDocuments.NOTES)).isEqualTo("look at this");
    assertThat(EntryDocuments.toStoredEntry(noted).getNotes()).isEqualTo("look at this");
  }

  @Test
  void deletesOneEntryOfItsSessionOnly() {
    writer.write(topic.publish(exchange("s3", "d1"), exchange("s3", "d2")));

    assertThat(repository.deleteOne("s1", "d1")).isFalse();
    assertThat(repository.deleteOne("s3", "d1")).isTrue();
    assertThat(repository.deleteOne("s3", "d1")).isFalse();
    assertThat(ids(EntryQuery.all("s3"))).containsExactly("d2");
  }
}
