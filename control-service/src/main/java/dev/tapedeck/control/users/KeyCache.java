package dev.tapedeck.control.users;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Users by key hash, kept in memory so an API call costs no database round trip: at most {@code
 * maxEntries} (the least recently used goes first), each for at most {@code ttl}. Only keys that
 * exist are cached: an unknown key is looked up again on every call, so the cache cannot be
 * filled with guesses and a key created a moment later works at once.
 *
 * <p>Revoke before evict: {@link #revoke} runs before the user's delete and again after it, and
 * each revoke moves an epoch on. A lookup that read the database before a revoke does not put its
 * answer in the cache afterwards, so a deleted user's key cannot be cached again by a request
 * that raced the delete.
 */
final class KeyCache {
  private record Cached(User user, long expiresAtNanos) {}

  private final int maxEntries;
  private final long ttlNanos;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Cached> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long epoch;

  KeyCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
    this.maxEntries = maxEntries;
    this.ttlNanos = ttl.toNanos();
    this.clock = nanoClock;
  }

  /** The cached user for {@code keyHash}, else {@code load}'s answer (cached only when present). */
  Optional<User> get(String keyHash, Function<String, Optional<User>> load) {
    long seenEpoch;
    synchronized (this) {
      Cached cached = entries.get(keyHash);
      if (cached != null) {
        if (clock.getAsLong() - cached.expiresAtNanos() < 0) {
          return Optional.of(cached.user());
        }
        entries.remove(keyHash);
      }
      seenEpoch = epoch;
    }
    Optional<User> loaded = load.apply(keyHash);
    if (loaded.isPresent() && maxEntries > 0) {
      synchronized (this) {
        if (epoch == seenEpoch) {
          entries.put(keyHash, new Cached(loaded.get(), clock.getAsLong() + ttlNanos));
          while (entries.size() > maxEntries) {
            entries.remove(entries.keySet().iterator().next());
          }
        }
      }
    }
    return loaded;
  }

  /** Drops {@code keyHash} and refuses to cache any lookup already under way. */
  synchronized void revoke(String keyHash) {
    epoch++;
    entries.remove(keyHash);
  }

  synchronized int size() {
    return entries.size();
  }
}
