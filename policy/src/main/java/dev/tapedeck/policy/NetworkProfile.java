package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A network condition, as NectoProxy's presets describe one: latency, bandwidth each way, and
 * loss. It expands into toxics (see {@link Policies#effectiveToxics()}): latency and jitter into
 * {@code delayMs}/{@code delayJitter}, download into {@code bandwidthKBps}, upload into {@code
 * slowReadKBps}, loss into the connection-level {@code resetRate}, offline into a reset of every
 * request. Toxics the session sets itself win over the profile's.
 *
 * @param name the preset it came from, or absent for a custom profile
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkProfile(
    String name,
    Integer latencyMs,
    Integer jitterMs,
    Integer downloadKBps,
    Integer uploadKBps,
    Double loss,
    Boolean offline) {

  public boolean goesOffline() {
    return offline != null && offline;
  }

  /** The protocol toxics this profile stands for. */
  ProtocolToxics toxics() {
    return new ProtocolToxics(latencyMs, jitterMs, null, null, downloadKBps, uploadKBps);
  }

  /** The connection toxics this profile stands for, or null for none. */
  ConnectionToxics connectionToxics() {
    if (goesOffline()) {
      return new ConnectionToxics(1.0, null, null, null);
    }
    return loss == null || loss == 0 ? null : new ConnectionToxics(loss, null, null, null);
  }
}
