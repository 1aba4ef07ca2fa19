package dev.tapedeck.control.policy;

import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.secrets.Secrets;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionPolicyUpdates;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.policy.Modifications;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A session's modification rules, read and replaced while it runs, as the Mockarty recorder's
 * {@code GET}/{@code PUT /api/v1/recorder/:id/modifications}. A bad update is refused with every
 * field's error and the session keeps its old rules.
 */
@Path("/api/v1/recorder/{id}/modifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class ModificationsResource {
  private final SessionService sessions;
  private final SessionPolicyUpdates updates;
  private final CurrentCaller caller;

  public ModificationsResource(SessionService sessions, SessionPolicyUpdates updates, CurrentCaller caller) {
    this.sessions = sessions;
    this.updates = updates;
    this.caller = caller;
  }

  /** The body of both methods: {@code {"modifications": {...}}}. */
  public record ModificationsBody(Modifications modifications) {}

  @GET
  @Operation(summary = "The session's modification rules")
  public ModificationsBody get(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    return new ModificationsBody(Secrets.redact(session.config().policies().modifications()));
  }

  @PUT
  @Operation(
      summary =
          "Replace the session's modification rules; every proxy pod applies them within a second, "
              + "without dropping connections",
      description =
          "A header rule marked \"secret\": true reads \"(set)\" in every answer; sending \"(set)\""
              + " back keeps the value the session holds for that rule (same action and name).")
  public ModificationsBody put(@PathParam("id") String id, ModificationsBody body) {
    Modifications rules = PolicyChecks.modifications(body == null ? null : body.modifications());
    Session updated = updates.updateModifications(caller.get(), id, rules);
    return new ModificationsBody(Secrets.redact(updated.config().policies().modifications()));
  }
}
