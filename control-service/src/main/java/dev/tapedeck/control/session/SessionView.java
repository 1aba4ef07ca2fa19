package dev.tapedeck.control.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A session as the API shows it; field names as in the Mockarty recorder API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(
    String id,
    String name,
    String mode,
    String targetUrl,
    int listenPort,
    String namespace,
    boolean record,
    long captureBodyLimitBytes,
    String status,
    Long entryCount,
    String createdAt,
    String expiresAt,
    String stoppedAt,
    String retainedUntil) {

  /**
   * The view of {@code s}; {@code entryCount} is null when storage could not be asked, and
   * {@code retainedUntil} (when a stopped session is deleted) is null while it runs.
   */
  public static SessionView of(Session s, Long entryCount, Instant retainedUntil) {
    SessionConfig c = s.config();
    return new SessionView(
        s.id(),
        c.name(),
        c.mode(),
        c.targetUrl().isEmpty() ? null : c.targetUrl(),
        c.listenPort(),
        c.namespace(),
        c.record(),
        c.captureBodyLimitBytes(),
        s.status(),
        entryCount,
        s.createdAt().toString(),
        s.expiresAt().toString(),
        s.stoppedAt() == null ? null : s.stoppedAt().toString(),
        retainedUntil == null ? null : retainedUntil.toString());
  }
}
