package dev.tapedeck.policy.contract;

import java.util.Set;

/**
 * How a session answers from its user's mocks (issue 17), as the control plane resolved it for the
 * proxy pods: since contract version 2.
 *
 * @param trafficMode {@code record} (forward and record, the default), {@code passthrough}
 *     (forward, record nothing) or {@code playback} (only mocks answer; a miss is a 404)
 * @param mapLocal whether a matching mock answers instead of the upstream (outside playback too)
 * @param namespace the mock namespace the session answers from (Map Local's, else the session's)
 * @param sequenceEpoch raised by a sequence reset: a pod that sees a new epoch starts every
 *     sequence of the session again from its first answer
 */
public record Playback(String trafficMode, boolean mapLocal, String namespace, long sequenceEpoch) {
  public static final String RECORD = "record";
  public static final String PASSTHROUGH = "passthrough";
  public static final String PLAYBACK = "playback";
  /** The traffic modes, mockd's names. */
  public static final Set<String> MODES = Set.of(RECORD, PASSTHROUGH, PLAYBACK);

  /** Recording, no Map Local: what a contract without this part means. */
  public static final Playback NONE = new Playback(RECORD, false, "default", 0);

  public Playback {
    trafficMode = trafficMode == null ? RECORD : trafficMode;
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  /** Whether mocks may answer at all (playback or Map Local). */
  public boolean servesMocks() {
    return mapLocal || playback();
  }

  /** Whether only mocks answer. */
  public boolean playback() {
    return PLAYBACK.equals(trafficMode);
  }
}
