package dev.tapedeck.control.session;

import dev.tapedeck.control.watch.ListenerReports;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How long sessions live: a running session stops at its {@code expiresAt}, and a stopped one is
 * deleted with its entries once {@code tapedeck.sessions.retention} has passed since it stopped.
 * Time is the injected {@link Clock}'s, so tests move it instead of waiting.
 */
@ApplicationScoped
public class SessionRetention {
  private static final Logger LOG = Logger.getLogger(SessionRetention.class);

  private final SessionStore store;
  private final SessionService sessions;
  private final ListenerReports listenerReports;
  private final Clock clock;
  private final Duration retention;

  public SessionRetention(
      SessionStore store,
      SessionService sessions,
      ListenerReports listenerReports,
      Clock clock,
      @ConfigProperty(name = "tapedeck.sessions.retention") Duration retention) {
    this.store = store;
    this.sessions = sessions;
    this.listenerReports = listenerReports;
    this.clock = clock;
    this.retention = retention;
  }

  /** Stops every running session whose {@code expiresAt} has passed. */
  public int expireDue() {
    Instant now = clock.instant();
    int expired = 0;
    for (Session s : store.running()) {
      if (!s.expiresAt().isAfter(now)) {
        LOG.infof("Session %s expired at %s; stopping it", s.id(), s.expiresAt());
        sessions.stopInternal(s);
        expired++;
      }
    }
    return expired;
  }

  /** When a stopped session and its entries are deleted; null while it runs. */
  public Instant retainedUntil(Session session) {
    return session.stoppedAt() == null ? null : session.stoppedAt().plus(retention);
  }

  /**
   * Deletes every stopped session whose retention period has passed, with its entries. A session
   * whose entries storage cannot delete now stays, and is tried again on the next sweep.
   *
   * @return the sessions deleted
   */
  public int purgeRetained(ToLongFunction<String> deleteEntries) {
    Instant now = clock.instant();
    int purged = 0;
    for (Session s : store.all()) {
      Instant until = retainedUntil(s);
      if (s.running() || until == null || until.isAfter(now)) {
        continue;
      }
      long entries = deleteEntries.applyAsLong(s.id());
      store.delete(s.id());
      listenerReports.clear(s.id());
      LOG.infof(
          "Session %s stopped at %s passed its retention of %s; deleted it and %d entries",
          s.id(), s.stoppedAt(), retention, entries);
      purged++;
    }
    return purged;
  }
}
