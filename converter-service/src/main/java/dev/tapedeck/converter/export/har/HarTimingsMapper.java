package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarTiming;
import dev.tapedeck.proto.capture.v1.Timings;

/**
 * Timings as HAR wants them: whole milliseconds (the model's type), -1 for a phase that did not
 * happen (dns, connect, ssl), and send, wait and receive never below 0. {@code blocked} is not
 * measured by the proxy.
 */
final class HarTimingsMapper {

  private HarTimingsMapper() {}

  static HarTiming map(Timings timings) {
    HarTiming harTiming = new HarTiming();
    harTiming.setBlocked(-1);
    harTiming.setDns(optional(timings.getDnsMs()));
    harTiming.setConnect(optional(timings.getConnectMs()));
    harTiming.setSsl(optional(timings.getTlsMs()));
    harTiming.setSend(required(timings.getSendMs()));
    harTiming.setWait(required(timings.getWaitMs()));
    harTiming.setReceive(required(timings.getReceiveMs()));
    return harTiming;
  }

  /** The entry's total time: the captured total, never below 0. */
  static int total(Timings timings) {
    return required(timings.getTotalMs());
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
