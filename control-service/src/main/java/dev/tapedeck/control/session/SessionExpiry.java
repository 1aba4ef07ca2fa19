package dev.tapedeck.control.session;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.tapedeck.control.entries.EntryQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The session sweeper, every {@code tapedeck.sessions.expiry-check}: runs {@link SessionRetention},
 * which stops running sessions at their {@code expiresAt}, and deletes stopped sessions with their
 * entries once {@code tapedeck.sessions.retention} has passed since they stopped.
 */
@ApplicationScoped
public class SessionExpiry {
  private static final Logger LOG = Logger.getLogger(SessionExpiry.class);

  private final SessionRetention sessions;
  private final EntryQueries entries;
  private final Duration interval;
  private ScheduledExecutorService timer;

  public SessionExpiry(
      SessionRetention sessions,
      EntryQueries entries,
      @ConfigProperty(name = "tapedeck.sessions.expiry-check") Duration interval) {
    this.sessions = sessions;
    this.entries = entries;
    this.interval = interval;
  }

  void start(@Observes StartupEvent event) {
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("session-expiry").factory());
    timer.scheduleWithFixedDelay(
        this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void check() {
    try {
      sessions.expireDue();
    } catch (RuntimeException e) {
      LOG.warn("Session expiry check failed; will try again", e);
    }
    try {
      sessions.purgeRetained(entries::deleteAll);
    } catch (RuntimeException e) {
      LOG.warn("Retention sweep failed (is storage-service reachable?); will try again", e);
    }
  }
}
