package dev.tapedeck.control.live;

import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** A session's live entries as server-sent events, beside the WebSocket of {@link LiveEntriesSocket}. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class LiveEventsResource {
  private final SessionService sessions;
  private final CurrentCaller caller;
  private final LiveEventStream live;

  public LiveEventsResource(SessionService sessions, CurrentCaller caller, LiveEventStream live) {
    this.sessions = sessions;
    this.caller = caller;
    this.live = live;
  }

  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @Blocking
  @Operation(
      summary = "Server-sent events: the same live messages as the WebSocket at /{id}/ws",
      description =
          "Each stored entry as a summary (id, method, url, statusCode, body sizes, timings). A client"
              + " that leaves more than tapedeck.live.queue-size messages unread gets a last"
              + " {\"type\":\"closed\",\"reason\":\"slow_consumer\"} event and the stream ends.")
  public Multi<String> events(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    return live.open(session.id());
  }
}
