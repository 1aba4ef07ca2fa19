package dev.tapedeck.control.session;

import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.entries.EntryQueries;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The session lifecycle under {@code /api/v1/recorder}, as the Mockarty recorder reference names
 * it: start, list, get, stop, restart, delete.
 */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class SessionResource {
  private final SessionService sessions;
  private final SessionViews views;
  private final EntryQueries entries;
  private final CurrentCaller caller;

  public SessionResource(
      SessionService sessions, SessionViews views, EntryQueries entries, CurrentCaller caller) {
    this.sessions = sessions;
    this.views = views;
    this.entries = entries;
    this.caller = caller;
  }

  /** The start response: {@code {"session": {...}}}. */
  public record SessionEnvelope(SessionView session) {}

  /** The session list. */
  public record SessionList(List<SessionView> sessions, int total) {}

  @POST
  @Path("/start")
  @Operation(summary = "Start a recording session; returns once the proxy pods listen on its port")
  public Response start(StartRequest request) {
    Session session = sessions.start(caller.get(), request);
    return Response.status(201).entity(new SessionEnvelope(SessionView.of(session, 0L, null))).build();
  }

  @GET
  @Path("/sessions")
  @Operation(summary = "List the caller's sessions, newest first")
  public SessionList list() {
    List<SessionView> all = views.of(sessions.list(caller.get()));
    return new SessionList(all, all.size());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Get one session")
  public SessionEnvelope get(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    return new SessionEnvelope(views.of(session));
  }

  @POST
  @Path("/{id}/stop")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Stop a running session; its proxy listeners close, its entries stay")
  public SessionEnvelope stop(@PathParam("id") String id) {
    return new SessionEnvelope(views.of(sessions.stop(caller.get(), id)));
  }

  @POST
  @Path("/{id}/restart")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Run a stopped session again: same config, its old port if still free")
  public SessionEnvelope restart(@PathParam("id") String id) {
    return new SessionEnvelope(views.of(sessions.restart(caller.get(), id)));
  }

  /** What a delete removed. */
  public record Deleted(String id, boolean deleted, long entriesDeleted) {}

  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete a session and all its entries")
  public Deleted delete(@PathParam("id") String id) {
    long deleted = sessions.delete(caller.get(), id, entries::deleteAll);
    return new Deleted(id, true, deleted);
  }
}
