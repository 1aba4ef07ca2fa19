package dev.tapedeck.control.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionPolicyUpdates;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.NetworkProfile;
import dev.tapedeck.policy.Toxics;
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
 * A session's filters, toxics, network profile and recording switch, read and replaced while it
 * runs, as {@code /modifications} is (and as mockd's {@code PUT /proxy/filters} and {@code
 * /proxy/mode}). Each update is checked by the same rules as a start, every field's error at once;
 * a refused update leaves the session as it was. An accepted one is a new revision that every
 * proxy pod applies within a second to the requests that follow, without closing connections. A
 * stopped session keeps it for its restart. None of these settings holds a secret.
 */
@Path("/api/v1/recorder/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class LivePoliciesResource {
  private static final String LIVE =
      "; every proxy pod applies it within a second to the requests that follow, without dropping"
          + " connections";

  private final SessionService sessions;
  private final SessionPolicyUpdates updates;
  private final CurrentCaller caller;

  public LivePoliciesResource(SessionService sessions, SessionPolicyUpdates updates, CurrentCaller caller) {
    this.sessions = sessions;
    this.updates = updates;
    this.caller = caller;
  }

  /** {@code {"filters": {...}}}: which exchanges are recorded. */
  public record FiltersBody(Filters filters) {}

  /** {@code {"toxics": {...}}}: nested per protocol, or Mockarty's flat form for http. */
  public record ToxicsBody(Toxics toxics) {}

  /** {@code {"networkProfile": "3g" | {...} | null}} in a PUT. */
  public record NetworkProfileBody(JsonNode networkProfile) {}

  /** {@code {"networkProfile": {...}}} in an answer; null when the session has none. */
  public record NetworkProfileView(NetworkProfile networkProfile) {}

  /** {@code {"record": true | false}}: false forwards without recording (passthrough). */
  public record RecordBody(Boolean record) {}

  @GET
  @Path("/filters")
  @Operation(summary = "The session's filters")
  public FiltersBody filters(@PathParam("id") String id) {
    return new FiltersBody(session(id).config().policies().filters());
  }

  @PUT
  @Path("/filters")
  @Operation(summary = "Replace the session's filters" + LIVE)
  public FiltersBody putFilters(@PathParam("id") String id, FiltersBody body) {
    Filters filters = PolicyChecks.filters(body == null ? null : body.filters());
    return new FiltersBody(updates.updateFilters(caller.get(), id, filters).config().policies().filters());
  }

  @GET
  @Path("/toxics")
  @Operation(summary = "The session's toxics, nested per protocol")
  public ToxicsBody toxics(@PathParam("id") String id) {
    return new ToxicsBody(session(id).config().policies().toxics());
  }

  @PUT
  @Path("/toxics")
  @Operation(
      summary = "Replace the session's toxics" + LIVE,
      description =
          "Nested per protocol (http, websocket, sse, grpc, connection, seed), or Mockarty's flat"
              + " form ({\"delayMs\": 300, \"errorRate\": 0.1}), which is the http set. Flat fields"
              + " beside a protocol key are refused. {} removes every toxic.")
  public ToxicsBody putToxics(@PathParam("id") String id, ToxicsBody body) {
    Toxics toxics = PolicyChecks.toxics(body == null ? null : body.toxics());
    return new ToxicsBody(updates.updateToxics(caller.get(), id, toxics).config().policies().toxics());
  }

  @GET
  @Path("/network-profile")
  @Operation(summary = "The session's network profile; null when it has none")
  public NetworkProfileView networkProfile(@PathParam("id") String id) {
    return new NetworkProfileView(session(id).config().policies().networkProfile());
  }

  @PUT
  @Path("/network-profile")
  @Operation(
      summary = "Replace the session's network profile" + LIVE,
      description = "A preset name (3g, ...), an object (latencyMs, jitterMs, downloadKBps, uploadKBps,"
          + " loss, offline), or null to remove it.")
  public NetworkProfileView putNetworkProfile(@PathParam("id") String id, NetworkProfileBody body) {
    NetworkProfile profile = PolicyChecks.networkProfile(body == null ? null : body.networkProfile());
    return new NetworkProfileView(
        updates.updateNetworkProfile(caller.get(), id, profile).config().policies().networkProfile());
  }

  @GET
  @Path("/record")
  @Operation(summary = "Whether the session records (false: passthrough)")
  public RecordBody record(@PathParam("id") String id) {
    return new RecordBody(session(id).config().record());
  }

  @PUT
  @Path("/record")
  @Operation(summary = "Turn recording on or off (passthrough)" + LIVE)
  public RecordBody putRecord(@PathParam("id") String id, RecordBody body) {
    boolean record = PolicyChecks.record(body == null ? null : body.record());
    return new RecordBody(updates.updateRecord(caller.get(), id, record).config().record());
  }

  private Session session(String id) {
    return sessions.get(caller.get(), id);
  }
}
