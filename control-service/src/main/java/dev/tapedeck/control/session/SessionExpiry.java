package dev.tapedeck.control.session;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Stops sessions at their {@code expiresAt}, checking every {@code tapedeck.sessions.expiry-check}. */
@ApplicationScoped
public class SessionExpiry {
  private static final Logger LOG = Logger.getLogger(SessionExpiry.class);

  private final SessionService sessions;
  private final Duration interval;
  private ScheduledExecutorService timer;

  public SessionExpiry(
      SessionService sessions,
      @ConfigProperty(name = "tapedeck.sessions.expiry-check") Duration interval) {
    this.sessions = sessions;
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
  }
}
