package dev.tapedeck.control.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.entries.IngestionWait;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.testkit.Ports;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replays running at once are capped per user and in all; a finished job has its verdict. */
class ReplayJobsTest {
  @TempDir Path dir;

  /** Entries that arrive only when the test lets them: none. */
  static final class HeldEntries extends ReplayEntries {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int forEach(String sessionId, Collection<String> ids, int max, Consumer<EntryView> each) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  @Test
  void runningReplaysAreCappedPerUserAndInAllWith429() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (MongoWireServer server = MongoWireServer.start(dir, Ports.free());
        MongoClient mongo = MongoClients.create(server.connectionString())) {
      ReplayLimits limits = new ReplayLimits(1000, 10, 60, 1024, 1, 2, 100);
      HeldEntries entries = new HeldEntries();
      ReplayJobs jobs =
          new ReplayJobs(entries, new IngestionWait(Duration.ZERO), new EntryReplayer(new ReplaySender(vertx, new ReplayEgress(EgressPolicy.OPEN), limits)),
              new NoiseStore(mongo, "tapedeck"), limits, Clock.systemUTC());
      ReplayJobs.Options options = new ReplayJobs.Options(null, 1, 5, false, List.of());

      ReplayJob first = jobs.start("s1", "alice", options);
      assertThat(first.view(false).status()).isEqualTo("running");
      assertThat(first.view(false).verdict()).isNull();
      assertThatThrownBy(() -> jobs.start("s2", "alice", options))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("too_many_replays");
          });
      jobs.start("s3", "bob", options);
      assertThatThrownBy(() -> jobs.start("s4", "carol", options))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(429));

      entries.release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (first.running() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // Nothing was replayed: a CI step must not read that as a pass.
      assertThat(first.view(true).status()).isEqualTo("done");
      assertThat(first.view(true).verdict()).isEqualTo("failed");
      assertThat(jobs.find("s1", first.id)).isPresent();
      assertThat(jobs.find("other-session", first.id)).isEmpty();
      jobs.start("s2", "alice", options);
      jobs.stop();
    } finally {
      vertx.close();
    }
  }
}
