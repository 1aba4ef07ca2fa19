package dev.tapedeck.control.session;

import java.time.Instant;

/**
 * A recording session as the control plane keeps it.
 *
 * @param revision increases with each change, so proxy pods can ignore stale updates
 */
public record Session(
    String id,
    String ownerId,
    SessionConfig config,
    String status,
    Instant createdAt,
    Instant expiresAt,
    Instant stoppedAt,
    long revision) {
  public static final String RUNNING = "running";
  public static final String STOPPED = "stopped";

  public boolean running() {
    return RUNNING.equals(status);
  }

  /** The same config running again on {@code port}, until {@code expiresAt}. */
  Session restarted(int port, Instant expiresAt) {
    return new Session(
        id,
        ownerId,
        config.withListenPort(port),
        RUNNING,
        createdAt,
        expiresAt,
        null,
        revision + 1);
  }

  /** The same session with a changed config, one revision on, so proxy pods take it over. */
  Session reconfigured(SessionConfig newConfig) {
    return new Session(id, ownerId, newConfig, status, createdAt, expiresAt, stoppedAt, revision + 1);
  }

  Session stopped(Instant at) {
    return new Session(id, ownerId, config, STOPPED, createdAt, expiresAt, at, revision + 1);
  }
}
