package dev.tapedeck.proxyservice.policy;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies the {@code tapedeck.rewrite.*} settings to {@link BodyRewrite} at startup, so the event
 * loop never reads configuration (or starts the worker pool) on a request's path.
 */
@Startup
@ApplicationScoped
public class RewriteSettings {
  RewriteSettings(
      @ConfigProperty(name = "tapedeck.rewrite.max-body-bytes") long maxBodyBytes,
      @ConfigProperty(name = "tapedeck.rewrite.workers") int workers,
      @ConfigProperty(name = "tapedeck.rewrite.queue") int queue,
      @ConfigProperty(name = "tapedeck.rewrite.time-budget") Duration timeBudget) {
    BodyRewrite.useLimits(new BodyRewrite.Limits(maxBodyBytes, workers, queue, timeBudget));
  }
}
