package dev.tapedeck.control.replay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bounds of replay and correlation ({@code tapedeck.replay.*}, docs/limits.md#replay): entries
 * per replay (and read by {@code /correlate}), concurrency, the per-request timeout range, the
 * response body read, redirects followed, and replay jobs running at once.
 */
@ApplicationScoped
public class ReplayLimits {
  private final int maxEntries;
  private final int maxConcurrency;
  private final int maxTimeoutSeconds;
  private final int maxBodyBytes;
  private final int maxRunningPerUser;
  private final int maxRunning;
  private final int jobsKept;

  public ReplayLimits(
      @ConfigProperty(name = "tapedeck.replay.max-entries", defaultValue = "1000") int maxEntries,
      @ConfigProperty(name = "tapedeck.replay.max-concurrency", defaultValue = "10") int maxConcurrency,
      @ConfigProperty(name = "tapedeck.replay.max-timeout-seconds", defaultValue = "60") int maxTimeoutSeconds,
      @ConfigProperty(name = "tapedeck.replay.max-body-bytes", defaultValue = "1048576") int maxBodyBytes,
      @ConfigProperty(name = "tapedeck.replay.max-running-per-user", defaultValue = "2") int maxRunningPerUser,
      @ConfigProperty(name = "tapedeck.replay.max-running", defaultValue = "8") int maxRunning,
      @ConfigProperty(name = "tapedeck.replay.jobs-kept", defaultValue = "100") int jobsKept) {
    require(maxEntries >= 1, "tapedeck.replay.max-entries must be at least 1");
    require(maxConcurrency >= 1, "tapedeck.replay.max-concurrency must be at least 1");
    require(maxTimeoutSeconds >= 1, "tapedeck.replay.max-timeout-seconds must be at least 1");
    require(maxBodyBytes >= 0, "tapedeck.replay.max-body-bytes must not be negative");
    require(maxRunningPerUser >= 1 && maxRunning >= 1, "tapedeck.replay.max-running(-per-user) must be at least 1");
    require(jobsKept >= 1, "tapedeck.replay.jobs-kept must be at least 1");
    this.maxEntries = maxEntries;
    this.maxConcurrency = maxConcurrency;
    this.maxTimeoutSeconds = maxTimeoutSeconds;
    this.maxBodyBytes = maxBodyBytes;
    this.maxRunningPerUser = maxRunningPerUser;
    this.maxRunning = maxRunning;
    this.jobsKept = jobsKept;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Redirects followed per request when {@code followRedirects} is on. */
  public static final int MAX_REDIRECTS = 5;

  /** Differences listed per entry; more are counted, not listed. */
  public static final int MAX_DIFFERENCES = 100;

  public int maxEntries() {
    return maxEntries;
  }

  public int maxConcurrency() {
    return maxConcurrency;
  }

  public int maxTimeoutSeconds() {
    return maxTimeoutSeconds;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public int maxRunningPerUser() {
    return maxRunningPerUser;
  }

  public int maxRunning() {
    return maxRunning;
  }

  public int jobsKept() {
    return jobsKept;
  }
}
