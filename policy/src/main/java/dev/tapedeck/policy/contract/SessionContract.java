package dev.tapedeck.policy.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.Transport;

/**
 * What a proxy pod applies of a session beyond the plain fields of its {@code ProxySession}
 * (mode, target, port, record, body limit): the policies and transport settings, as the control
 * plane validated them. It travels as {@code ProxySession.config_json}, written and read by {@link
 * SessionCodec} only, so both sides agree on every field and a proxy refuses what it does not know
 * instead of running without it.
 *
 * @param version the contract's version; a proxy refuses a version newer than {@link #VERSION}
 * @param policies filters, toxics, modifications, network profile, DNS map and global chaos
 * @param transport HTTPS interception, upstream TLS and proxy, forwarded headers, proxyAuth
 * @param captureOverflow {@code backpressure} or {@code drop}
 * @param durability {@code async} or {@code acked}
 * @param playback traffic mode, Map Local and the mock namespace (version 2 on); null for the
 *     default (record, no Map Local), so a contract without it is still written as version 1 and
 *     read by pods that know only version 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionContract(
    int version,
    Policies policies,
    Transport transport,
    String captureOverflow,
    String durability,
    Playback playback) {
  /** The newest version this build reads (and writes when a version-2 field is set). */
  public static final int VERSION = 2;

  /** The version that added {@link #playback}. */
  public static final int PLAYBACK_VERSION = 2;

  /** No policies, direct transport, back-pressure, async durability. */
  public static final SessionContract DEFAULT = new SessionContract(1, null, null, null, null, null);

  public SessionContract {
    policies = policies == null ? Policies.NONE : policies;
    transport = transport == null ? Transport.DIRECT : transport;
    captureOverflow = captureOverflow == null ? "backpressure" : captureOverflow;
    durability = durability == null ? "async" : durability;
  }

  /** The contract of this version with these settings. */
  public static SessionContract of(
      Policies policies, Transport transport, String captureOverflow, String durability) {
    return new SessionContract(1, policies, transport, captureOverflow, durability, null);
  }

  /**
   * The contract with these settings, in the oldest version that holds them: version 1 unless
   * {@code playback} differs from {@link Playback#NONE}, so pods of the previous release keep
   * reading sessions that do not use mocks.
   */
  public static SessionContract of(
      Policies policies, Transport transport, String captureOverflow, String durability, Playback playback) {
    Playback p = playback == null || playback.equals(Playback.NONE) ? null : playback;
    return new SessionContract(p == null ? 1 : PLAYBACK_VERSION, policies, transport, captureOverflow, durability, p);
  }

  /** The traffic mode and Map Local settings; {@link Playback#NONE} when the contract has none. */
  public Playback playbackOrNone() {
    return playback == null ? Playback.NONE : playback;
  }

  public boolean dropOnOverflow() {
    return "drop".equals(captureOverflow);
  }

  public boolean ackedDurability() {
    return "acked".equals(durability);
  }
}
