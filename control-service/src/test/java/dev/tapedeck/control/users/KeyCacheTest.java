package dev.tapedeck.control.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private final AtomicLong now = new AtomicLong();
  private static final User ALICE = new User("u1", "alice", "h1", "tdk_1", Instant.EPOCH);

  @Test
  void unknownKeysAreNeverCached() {
    KeyCache cache = new KeyCache(10, Duration.ofSeconds(30), now::get);
    AtomicInteger lookups = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertThat(cache.get("guess", h -> {
        lookups.incrementAndGet();
        return Optional.empty();
      })).isEmpty();
    }
    assertThat(lookups).hasValue(3);
    assertThat(cache.size()).isZero();
  }

  @Test
  void knownKeysAreCachedUntilTheirTtlPasses() {
    KeyCache cache = new KeyCache(10, Duration.ofSeconds(30), now::get);
    AtomicInteger lookups = new AtomicInteger();
    cache.get("h1", h -> {
      lookups.incrementAndGet();
      return Optional.of(ALICE);
    });
    cache.get("h1", h -> Optional.empty());
    assertThat(lookups).hasValue(1);
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(cache.get("h1", h -> Optional.empty())).as("looked up again after the TTL").isEmpty();
  }

  @Test
  void holdsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
    KeyCache cache = new KeyCache(100, Duration.ofMinutes(5), now::get);
    for (int i = 0; i < 1_000; i++) {
      String h = "h" + i;
      cache.get(h, x -> Optional.of(new User("u" + x, x, x, x, Instant.EPOCH)));
    }
    assertThat(cache.size()).isEqualTo(100);
  }

  @Test
  void aLookupThatRacedARevokeDoesNotCacheTheRevokedUser() throws Exception {
    KeyCache cache = new KeyCache(10, Duration.ofMinutes(5), now::get);
    CountDownLatch readTheDatabase = new CountDownLatch(1);
    CountDownLatch revoked = new CountDownLatch(1);
    Thread racer =
        Thread.ofPlatform()
            .start(
                () ->
                    cache.get("h1", h -> {
                      readTheDatabase.countDown();
                      try {
                        revoked.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return Optional.of(ALICE); // what the database said before the delete
                    }));
    readTheDatabase.await();
    cache.revoke("h1");
    revoked.countDown();
    racer.join();
    assertThat(cache.size()).isZero();
    assertThat(cache.get("h1", h -> Optional.empty())).as("deleted: the database says no").isEmpty();
  }
}
