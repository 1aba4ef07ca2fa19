package dev.tapedeck.control.session;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.secrets.Secrets;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.NetworkProfile;
import dev.tapedeck.policy.Toxics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Live changes to a session's policies and its recording switch, each already validated by the
 * same checks as a start ({@code PolicyChecks}). Each one is a new revision that every proxy pod
 * swaps in on its open listener within a second: requests from then on follow it, open
 * connections stay. A stopped session keeps the change for its restart.
 */
@ApplicationScoped
public class SessionPolicyUpdates {
  private final SessionService sessions;

  public SessionPolicyUpdates(SessionService sessions) {
    this.sessions = sessions;
  }

  /**
   * Replaces the modification rules. A secret header rule whose value is {@code "(set)"} keeps
   * the value the session holds.
   */
  public Session updateModifications(Caller caller, String id, Modifications modifications) {
    return sessions.reconfigure(
        caller,
        id,
        c -> {
          List<FieldError> errors = new ArrayList<>();
          Modifications kept = Secrets.keepStored(modifications, c.policies().modifications(), errors);
          if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
          }
          return c.withPolicies(c.policies().withModifications(kept));
        });
  }

  /** Replaces the filters: which exchanges are recorded. */
  public Session updateFilters(Caller caller, String id, Filters filters) {
    return sessions.reconfigure(caller, id, c -> c.withPolicies(c.policies().withFilters(filters)));
  }

  /** Replaces the toxics (in their nested form). */
  public Session updateToxics(Caller caller, String id, Toxics toxics) {
    return sessions.reconfigure(caller, id, c -> c.withPolicies(c.policies().withToxics(toxics)));
  }

  /** Replaces the network profile; null removes it. */
  public Session updateNetworkProfile(Caller caller, String id, NetworkProfile profile) {
    return sessions.reconfigure(caller, id, c -> c.withPolicies(c.policies().withNetworkProfile(profile)));
  }

  /** Turns recording on or off; off forwards without recording (passthrough). */
  public Session updateRecord(Caller caller, String id, boolean record) {
    return sessions.reconfigure(caller, id, c -> c.withRecord(record));
  }

  /**
   * Sets the traffic mode: {@code record}, {@code passthrough} (recording off) or {@code playback}
   * (only mocks answer).
   */
  public Session updateTrafficMode(Caller caller, String id, String trafficMode) {
    return sessions.reconfigure(caller, id, c -> c.withPlayback(c.playback().withTrafficMode(trafficMode)));
  }

  /** Turns Map Local on or off, from a namespace (the session's when null). */
  public Session updateMapLocal(Caller caller, String id, SessionPlayback.MapLocal mapLocal) {
    return sessions.reconfigure(caller, id, c -> c.withPlayback(c.playback().withMapLocal(mapLocal)));
  }

  /** Starts every sequence of the session again from its first answer, on every pod. */
  public Session resetSequences(Caller caller, String id) {
    return sessions.reconfigure(caller, id, c -> c.withPlayback(c.playback().withSequencesReset()));
  }
}
