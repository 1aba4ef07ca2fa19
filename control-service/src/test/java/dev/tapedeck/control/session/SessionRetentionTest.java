package dev.tapedeck.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final MutableClock clock = MutableClock.atNow();
  private final Caller owner = new Caller("user-1", false);
  private SessionsOnMongoWire wired;
  private SessionStore store;
  private SessionService sessions;
  private SessionRetention retention;

  @BeforeEach
  void setUp() {
    wired = new SessionsOnMongoWire(dir, clock, TTL);
    store = wired.store;
    sessions = wired.sessions;
    retention = wired.retention(clock, RETENTION);
  }

  @AfterEach
  void tearDown() {
    wired.close();
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
