package dev.tapedeck.control.session;

import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.policy.contract.Playback;
import java.util.List;

/** The checks of {@code trafficMode} and {@code mapLocal}, at start and on live updates. */
public final class PlaybackChecks {
  private PlaybackChecks() {}

  /**
   * The session's traffic mode and Map Local, with each problem added to {@code errors}. {@code
   * record} (the start field) must agree with the mode: {@code record: false} alone means {@code
   * passthrough}.
   */
  public static SessionPlayback check(
      String trafficMode, SessionPlayback.MapLocal mapLocal, Boolean record, List<FieldError> errors) {
    String mode = trafficMode;
    if (mode == null) {
      mode = Boolean.FALSE.equals(record) ? Playback.PASSTHROUGH : Playback.RECORD;
    } else if (!Playback.MODES.contains(mode)) {
      errors.add(new FieldError("trafficMode", "must be one of record, passthrough, playback"));
    } else if (record != null && record != !mode.equals(Playback.PASSTHROUGH)) {
      errors.add(
          new FieldError(
              "record",
              "contradicts trafficMode \"" + mode + "\" (record: false is trafficMode \"passthrough\"); give one of them"));
    }
    return new SessionPlayback(mode, mapLocal(mapLocal, errors), 0);
  }

  /** Map Local, checked: a namespace given must be a valid namespace name. */
  public static SessionPlayback.MapLocal mapLocal(SessionPlayback.MapLocal mapLocal, List<FieldError> errors) {
    if (mapLocal == null) {
      return SessionPlayback.MapLocal.OFF;
    }
    String namespace = mapLocal.namespace();
    if (namespace != null && !SessionConfigValidator.NAMESPACE.matcher(namespace).matches()) {
      errors.add(new FieldError("mapLocal.namespace", "must be 1-64 letters, digits, '.', '_' or '-'"));
    }
    return new SessionPlayback.MapLocal(
        mapLocal.on(), namespace == null || namespace.isBlank() ? null : namespace);
  }
}
