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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionContract(
    int version, Policies policies, Transport transport, String captureOverflow, String durability) {
  /** The version this build writes, and the newest it reads. */
  public static final int VERSION = 1;

  /** No policies, direct transport, back-pressure, async durability. */
  public static final SessionContract DEFAULT = new SessionContract(VERSION, null, null, null, null);

  public SessionContract {
    policies = policies == null ? Policies.NONE : policies;
    transport = transport == null ? Transport.DIRECT : transport;
    captureOverflow = captureOverflow == null ? "backpressure" : captureOverflow;
    durability = durability == null ? "async" : durability;
  }

  /** The contract of this version with these settings. */
  public static SessionContract of(
      Policies policies, Transport transport, String captureOverflow, String durability) {
    return new SessionContract(VERSION, policies, transport, captureOverflow, durability);
  }

  public boolean dropOnOverflow() {
    return "drop".equals(captureOverflow);
  }

  public boolean ackedDurability() {
    return "acked".equals(durability);
  }
}
