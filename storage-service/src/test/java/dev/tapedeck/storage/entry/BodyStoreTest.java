package dev.tapedeck.storage.entry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large bodies go to GridFS on a real MongoDB-wire server and come back whole. */
class BodyStoreTest {
  private static final int THRESHOLD = 64 * 1024;

  @TempDir Path dir;
  private MongoWireServer server;
  private EntryRepository repository;

  @BeforeEach
  void startServer() {
    server = new MongoWireServer(dir);
    repository = new EntryRepository(server.database("tapedeck"), THRESHOLD);
    repository.ensureIndexes();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aLargeBodyLeavesTheDocumentAndComesBackWholeOnRead() {
    byte[] big = new byte[1024 * 1024];
    new Random(7).nextBytes(big);
    CapturedExchange exchange = Exchanges.withResponseBody(Exchanges.exchange("s1", "big"), big);
    CapturedExchange small = Exchanges.withResponseBody(Exchanges.exchange("s1", "small"), new byte[] {1, 2, 3});

    repository.insert(repository.document(exchange, 1, Instant.now()));
    repository.insert(repository.document(small, 2, Instant.now()));

    Document stored = repository.find("big").orElseThrow();
    assertThat(stored.get(EntryDocuments.EXCHANGE, Binary.class).getData().length)
        .as("the entry document stays light")
        .isLessThan(4 * 1024);
    StoredEntry read = repository.read(stored);
    assertThat(read.getExchange()).isEqualTo(exchange);
    assertThat(read.getExchange().getResponse().getBody().getStoredRef()).isEmpty();
    assertThat(repository.read(repository.find("small").orElseThrow()).getExchange()).isEqualTo(small);
    assertThat(gridFsFiles()).isEqualTo(1);

    repository.delete(List.of("big"));
    assertThat(gridFsFiles()).as("deleting the entry deletes its body").isZero();
  }

  @Test
  void deletingASessionDeletesItsBodies() {
    byte[] big = new byte[THRESHOLD + 1];
    repository.insert(repository.document(Exchanges.withResponseBody(Exchanges.exchange("s1", "a"), big), 1, Instant.now()));
    repository.insert(repository.document(Exchanges.withResponseBody(Exchanges.exchange("s2", "b"), big), 1, Instant.now()));
    assertThat(gridFsFiles()).isEqualTo(2);
    long chunksEach = gridFsChunks() / 2;
    repository.deleteSession("s1");
    assertThat(gridFsFiles()).isEqualTo(1);
    assertThat(gridFsChunks()).as("the chunks of s2's body alone").isEqualTo(chunksEach);
    assertThat(repository.read(repository.find("b").orElseThrow()).getExchange().getResponse().getBody().getData().size())
        .isEqualTo(big.length);
  }

  @Test
  void deletingMoreBodiesThanOneBatchDeletesThemAllWithTheirChunks() {
    // Small bodies over a small threshold: a thousand of them go to GridFS quickly.
    EntryRepository repository = new EntryRepository(server.database("tapedeck"), 16);
    byte[] body = new byte[17];
    int count = BodyStore.DELETE_BATCH + 5;
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add("e" + i);
      repository.insert(repository.document(Exchanges.withResponseBody(Exchanges.exchange("s1", "e" + i), body), i + 1, Instant.now()));
    }
    repository.insert(repository.document(Exchanges.withResponseBody(Exchanges.exchange("s2", "kept"), body), 1, Instant.now()));
    assertThat(gridFsFiles()).isEqualTo(count + 1);

    repository.delete(ids);

    assertThat(gridFsFiles()).isEqualTo(1);
    assertThat(gridFsChunks()).as("the chunk of the kept body").isEqualTo(1);
  }

  private long gridFsChunks() {
    return server.database("tapedeck").getCollection(BodyStore.BUCKET + ".chunks").countDocuments();
  }

  @Test
  void evictingEntriesDeletesTheirBodiesAndNoOthers() {
    byte[] big = new byte[THRESHOLD + 1];
    for (int seq = 1; seq <= 3; seq++) {
      CapturedExchange exchange = Exchanges.withResponseBody(Exchanges.exchange("s1", "e" + seq), big);
      repository.insert(repository.document(exchange, seq, Instant.now()));
    }
    repository.insert(repository.document(Exchanges.withResponseBody(Exchanges.exchange("s2", "other"), big), 1, Instant.now()));
    repository.insert(repository.document(Exchanges.exchange("s3", "light"), 1, Instant.now()));

    List<EntryRef> oldest = repository.beyondNewest("s1", 1);
    assertThat(oldest).extracting(EntryRef::entryId).containsExactly("e1", "e2");
    repository.deleteUpToSequence("s1", 2, oldest);
    repository.deleteUpToSequence("s3", 1, repository.beyondNewest("s3", 0));

    assertThat(gridFsFiles()).as("the bodies of e3 and of s2's entry").isEqualTo(2);
    assertThat(repository.read(repository.find("e3").orElseThrow()).getExchange().getResponse().getBody().getData().size())
        .isEqualTo(big.length);
    assertThat(repository.find("light")).isEmpty();
  }

  private long gridFsFiles() {
    return server.database("tapedeck").getCollection(BodyStore.BUCKET + ".files").countDocuments();
  }
}
