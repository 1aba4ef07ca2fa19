package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarTiming;
import dev.tapedeck.proto.capture.v1.Timings;

/**
 * Timings as HAR 1.2 defines them: whole milliseconds (the model's type), -1 for a phase that did
 * not happen (blocked, dns, connect, ssl), send, wait and receive never below 0, and the entry's
 * {@code time} the sum of the phases ({@code ssl} is inside {@code connect}, so not counted again).
 *
 * <ul>
 *   <li>{@code connect} includes {@code ssl}, as HAR says: a captured connect does not (an
 *       imported entry keeps the two apart; the proxy's connect includes its handshake and leaves
 *       tls at -1), so the export adds them.
 *   <li>{@code blocked} is the rest of the captured total: the time from the proxy taking the
 *       request until its upstream leg began (routing, the policies, waiting for a pooled
 *       connection), which no other phase holds.
 * </ul>
 */
final class HarTimingsMapper {

  private HarTimingsMapper() {}

  static HarTiming map(Timings timings) {
    double connectMs = timings.getConnectMs();
    if (connectMs >= 0 && timings.getTlsMs() > 0) {
      connectMs += timings.getTlsMs();
    }
    HarTiming harTiming = new HarTiming();
    harTiming.setDns(optional(timings.getDnsMs()));
    harTiming.setConnect(optional(connectMs));
    harTiming.setSsl(optional(timings.getTlsMs()));
    harTiming.setSend(required(timings.getSendMs()));
    harTiming.setWait(required(timings.getWaitMs()));
    harTiming.setReceive(required(timings.getReceiveMs()));
    int rest = required(timings.getTotalMs()) - phases(harTiming);
    harTiming.setBlocked(rest > 0 ? rest : -1);
    return harTiming;
  }

  /** The entry's {@code time}: the sum of {@code timing}'s phases, blocked included. */
  static int time(HarTiming timing) {
    return Math.max(0, timing.getBlocked()) + phases(timing);
  }

  /** dns, connect, send, wait and receive, those that happened. */
  private static int phases(HarTiming timing) {
    return Math.max(0, timing.getDns())
        + Math.max(0, timing.getConnect())
        + timing.getSend()
        + timing.getWait()
        + timing.getReceive();
  }

  private static int optional(double ms) {
    return ms < 0 ? -1 : millis(ms);
  }

  private static int required(double ms) {
    return ms < 0 ? 0 : millis(ms);
  }

  private static int millis(double ms) {
    return (int) Math.min(Integer.MAX_VALUE, Math.round(ms));
  }
}
