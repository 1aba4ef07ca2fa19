package dev.tapedeck.control.mocks;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.PlaybackChecks;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionPlayback;
import dev.tapedeck.control.session.SessionPolicyUpdates;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A session's traffic mode (mockd's {@code record}, {@code passthrough}, {@code playback}) and Map
 * Local (Mockarty's {@code {"enabled", "namespace"}}), read and changed while it runs, and the
 * reset of its sequences. Each change is a new revision every proxy pod applies within a second.
 */
@Path("/api/v1/recorder/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Playback")
public class PlaybackResource {
  private final SessionService sessions;
  private final SessionPolicyUpdates updates;
  private final CurrentCaller caller;

  public PlaybackResource(SessionService sessions, SessionPolicyUpdates updates, CurrentCaller caller) {
    this.sessions = sessions;
    this.updates = updates;
    this.caller = caller;
  }

  /** {@code {"trafficMode": "record" | "passthrough" | "playback"}}. */
  public record TrafficModeBody(String trafficMode) {}

  /** {@code {"mapLocal": {"enabled": true, "namespace": "..."}}} in an answer. */
  public record MapLocalView(SessionPlayback.MapLocal mapLocal, String namespace) {}

  @GET
  @Path("/traffic-mode")
  @Operation(summary = "The session's traffic mode: record, passthrough or playback")
  public TrafficModeBody trafficMode(@PathParam("id") String id) {
    return new TrafficModeBody(sessions.get(caller.get(), id).config().playback().trafficMode());
  }

  @PUT
  @Path("/traffic-mode")
  @Operation(
      summary = "Set the session's traffic mode; every proxy pod applies it within a second",
      description =
          "record (forward and record), passthrough (forward, record nothing: record false) or playback"
              + " (only the caller's mocks in the session's namespace answer; a request no mock matches gets"
              + " 404 naming the closest mocks and why each did not match, and is recorded as a miss).")
  public TrafficModeBody putTrafficMode(@PathParam("id") String id, TrafficModeBody body) {
    String mode = body == null ? null : body.trafficMode();
    List<FieldError> errors = new ArrayList<>();
    if (mode == null) {
      errors.add(new FieldError("trafficMode", "is required: record, passthrough or playback"));
    } else {
      PlaybackChecks.check(mode, null, null, errors);
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new TrafficModeBody(updates.updateTrafficMode(caller.get(), id, mode).config().playback().trafficMode());
  }

  @GET
  @Path("/map-local")
  @Operation(summary = "The session's Map Local settings and the namespace it answers from")
  public MapLocalView mapLocal(@PathParam("id") String id) {
    return view(sessions.get(caller.get(), id));
  }

  @PUT
  @Path("/map-local")
  @Operation(
      summary = "Turn Map Local on or off; every proxy pod applies it within a second",
      description =
          "{\"enabled\": true, \"namespace\": \"...\"} (namespace: the session's when absent). A request a mock of"
              + " the caller's in that namespace matches is answered by it without an upstream call, and its entry"
              + " is flagged \"mapLocal\": true; any other request is forwarded.")
  public MapLocalView putMapLocal(@PathParam("id") String id, SessionPlayback.MapLocal body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || body.enabled() == null) {
      errors.add(new FieldError("enabled", "is required: true or false"));
    }
    SessionPlayback.MapLocal checked = PlaybackChecks.mapLocal(body, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return view(updates.updateMapLocal(caller.get(), id, checked));
  }

  /** What a sequence reset did. */
  public record SequencesReset(String sessionId, boolean reset) {}

  @POST
  @Path("/sequences/reset")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Start every mock sequence of the session again from its first answer",
      description = "Sequences (scenarios) advance per session; every proxy pod resets them within a second.")
  public SequencesReset resetSequences(@PathParam("id") String id) {
    updates.resetSequences(caller.get(), id);
    return new SequencesReset(id, true);
  }

  private static MapLocalView view(Session s) {
    SessionPlayback p = s.config().playback();
    return new MapLocalView(
        new SessionPlayback.MapLocal(p.mapLocal().on(), p.mapLocal().namespace()),
        p.contract(s.config().namespace()).namespace());
  }
}
