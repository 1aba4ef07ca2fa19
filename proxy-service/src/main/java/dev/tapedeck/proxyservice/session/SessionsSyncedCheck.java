package dev.tapedeck.proxyservice.session;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the pod has received the session set. It stays ready when the control plane goes
 * away later: the pod keeps serving its last known sessions.
 */
@Readiness
@ApplicationScoped
public class SessionsSyncedCheck implements HealthCheck {
  private final SessionFollower follower;

  public SessionsSyncedCheck(SessionFollower follower) {
    this.follower = follower;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("sessions-synced")
        .status(follower.synced())
        .withData("proxyId", follower.proxyId())
        .build();
  }
}
