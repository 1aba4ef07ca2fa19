package dev.tapedeck.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.DataFolder;
import dev.tapedeck.control.policy.GlobalChaos;
import dev.tapedeck.control.ports.PortPool;
import dev.tapedeck.control.secrets.SecretBox;
import dev.tapedeck.control.watch.ListenerReports;
import dev.tapedeck.control.watch.SessionBroadcast;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.testkit.MutableClock;
import dev.tapedeck.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session expiry and retention in simulated time: sessions live in a real session store (on the
 * Mongo-wire server), and a {@link MutableClock} is moved past their deadlines instead of waiting
 * for them.
 */
class SessionRetentionTest {
  private static final Duration TTL = Duration.ofHours(1);
  private static final Duration RETENTION = Duration.ofDays(7);

  @TempDir Path dir;
  private MongoWireServer mongoServer;
  private MongoClient mongo;
  private final MutableClock clock = MutableClock.atNow();
  private SessionStore store;
  private SessionService sessions;
  private SessionRetention retention;
  private final Caller owner = new Caller("user-1", false);

  @BeforeEach
  void setUp() {
    mongoServer = MongoWireServer.start(dir, Ports.free());
    mongo = MongoClients.create(mongoServer.connectionString());
    store = new SessionStore(mongo, "tapedeck", new SecretBox(new DataFolder(Optional.of(dir.toString())), Optional.empty()));
    ListenerReports reports = new ListenerReports();
    SessionBroadcast broadcast = new SessionBroadcast();
    sessions =
        new SessionService(
            store,
            new SessionConfigValidator(1_000_000, 20000, 65000),
            new PortPool(20000, 65000),
            broadcast,
            reports,
            new ObjectMapper(),
            clock,
            // No proxy pod is connected: start returns after a millisecond.
            new ListenerWait(broadcast, reports, Duration.ofMillis(1)),
            TTL,
            10,
            10);
    sessions.chaos = new GlobalChaos(mongo, "tapedeck");
    retention = new SessionRetention(store, sessions, reports, clock, RETENTION);
  }

  @AfterEach
  void tearDown() {
    mongo.close();
    mongoServer.close();
  }

  @Test
  void aRunningSessionStopsAtItsExpiryAndNotBefore() {
    Session started = start();
    assertThat(started.expiresAt()).isEqualTo(clock.instant().plus(TTL));

    clock.advance(TTL.minusMillis(1));
    assertThat(retention.expireDue()).isZero();
    assertThat(store.find(started.id()).orElseThrow().running()).isTrue();

    clock.advance(Duration.ofMillis(1));
    assertThat(retention.expireDue()).isEqualTo(1);
    Session stopped = store.find(started.id()).orElseThrow();
    assertThat(stopped.running()).isFalse();
    assertThat(stopped.stoppedAt()).isEqualTo(started.expiresAt());
    assertThat(retention.retainedUntil(stopped)).isEqualTo(started.expiresAt().plus(RETENTION));
    assertThat(retention.expireDue()).as("stopped once").isZero();
  }

  @Test
  void aStoppedSessionIsDeletedWithItsEntriesOnceRetentionPasses() {
    Session started = start();
    Session stopped = sessions.stop(owner, started.id());
    assertThat(retention.retainedUntil(started)).as("null while it runs").isNull();
    List<String> entriesDeleted = new ArrayList<>();

    clock.advance(RETENTION.minusMillis(1));
    assertThat(retention.purgeRetained(id -> record(entriesDeleted, id))).isZero();
    assertThat(store.find(stopped.id())).isPresent();

    clock.advance(Duration.ofMillis(1));
    assertThat(retention.purgeRetained(id -> record(entriesDeleted, id))).isEqualTo(1);
    assertThat(store.find(stopped.id())).isEmpty();
    assertThat(entriesDeleted).containsExactly(stopped.id());
  }

  @Test
  void aRunningSessionIsNeverPurgedHoweverOld() {
    Session started = start();
    clock.advance(RETENTION.multipliedBy(10));
    assertThat(retention.purgeRetained(id -> 0)).isZero();
    assertThat(store.find(started.id())).isPresent();
  }

  @Test
  void aSessionWhoseEntriesCannotBeDeletedStaysForTheNextSweep() {
    Session stopped = sessions.stop(owner, start().id());
    clock.advance(RETENTION);
    assertThatThrownBy(() -> retention.purgeRetained(id -> {
          throw new IllegalStateException("storage-service unavailable");
        }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(stopped.id())).isPresent();

    assertThat(retention.purgeRetained(id -> 0)).isEqualTo(1);
    assertThat(store.find(stopped.id())).isEmpty();
  }

  private Session start() {
    return sessions.start(owner, new StartRequest("s", "reverse", "http://127.0.0.1:9", 0, null, null, null));
  }

  private static long record(List<String> deleted, String id) {
    deleted.add(id);
    return 3;
  }
}
