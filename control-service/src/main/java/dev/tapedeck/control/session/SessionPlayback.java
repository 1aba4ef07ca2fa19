package dev.tapedeck.control.session;

import dev.tapedeck.policy.contract.Playback;

/**
 * How a session answers from mocks: its traffic mode (mockd's names), Map Local (Mockarty's
 * shape) and the epoch of its sequences.
 *
 * @param trafficMode {@code record} (default), {@code passthrough} (what {@code record: false}
 *     does) or {@code playback} (only mocks answer)
 * @param mapLocal whether a matching mock answers instead of the upstream, and from which namespace
 * @param sequenceEpoch raised by each sequence reset
 */
public record SessionPlayback(String trafficMode, MapLocal mapLocal, long sequenceEpoch) {
  /** Recording, Map Local off. */
  public static final SessionPlayback NONE = new SessionPlayback(Playback.RECORD, MapLocal.OFF, 0);

  public SessionPlayback {
    trafficMode = trafficMode == null ? Playback.RECORD : trafficMode;
    mapLocal = mapLocal == null ? MapLocal.OFF : mapLocal;
  }

  /**
   * Map Local as Mockarty's recorder takes it: {@code {"enabled": true, "namespace": "..."}}; the
   * namespace defaults to the session's.
   */
  public record MapLocal(Boolean enabled, String namespace) {
    public static final MapLocal OFF = new MapLocal(false, null);

    public boolean on() {
      return Boolean.TRUE.equals(enabled);
    }
  }

  public SessionPlayback withTrafficMode(String mode) {
    return new SessionPlayback(mode, mapLocal, sequenceEpoch);
  }

  public SessionPlayback withMapLocal(MapLocal newMapLocal) {
    return new SessionPlayback(trafficMode, newMapLocal, sequenceEpoch);
  }

  public SessionPlayback withSequencesReset() {
    return new SessionPlayback(trafficMode, mapLocal, sequenceEpoch + 1);
  }

  /** What the proxy pods get: the namespace resolved (Map Local's, else the session's). */
  public Playback contract(String sessionNamespace) {
    String namespace =
        mapLocal.namespace() != null && !mapLocal.namespace().isBlank() ? mapLocal.namespace() : sessionNamespace;
    return new Playback(trafficMode, mapLocal.on(), namespace, sequenceEpoch);
  }
}
