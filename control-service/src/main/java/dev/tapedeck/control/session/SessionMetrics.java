package dev.tapedeck.control.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Session gauges at {@code /q/metrics}: {@code tapedeck_sessions_running}. */
@Startup
@ApplicationScoped
public class SessionMetrics {

  public SessionMetrics(MeterRegistry registry, SessionStore store) {
    Gauge.builder("tapedeck.sessions.running", store, s -> s.running().size())
        .description("Sessions running now, of every user")
        .register(registry);
  }
}
