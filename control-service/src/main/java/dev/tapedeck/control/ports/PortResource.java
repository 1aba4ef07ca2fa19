package dev.tapedeck.control.ports;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The proxy port window under {@code /api/v1/recorder}: its leases and whether a port is free. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class PortResource {
  private final SessionService sessions;
  private final CurrentCaller caller;
  private final PortPool portPool;

  public PortResource(SessionService sessions, CurrentCaller caller, PortPool portPool) {
    this.sessions = sessions;
    this.caller = caller;
    this.portPool = portPool;
  }

  /** One leased port. */
  public record PortLease(int port, String sessionId, String sessionName) {}

  /** The port pool: {@code used} of {@code max} ports in the window, with the caller's leases. */
  public record PortPoolView(int used, int max, int rangeMin, int rangeMax, List<PortLease> details) {}

  @GET
  @Path("/ports")
  @Operation(summary = "Port pool status: used, max, and the leases the caller can see")
  public PortPoolView ports() {
    List<Session> running = sessions.running();
    List<PortLease> details =
        running.stream()
            .filter(s -> caller.get().canSee(s.ownerId()))
            .map(s -> new PortLease(s.config().listenPort(), s.id(), s.config().name()))
            .sorted(Comparator.comparingInt(PortLease::port))
            .toList();
    return new PortPoolView(
        running.size(), portPool.max() - portPool.min() + 1, portPool.min(), portPool.max(), details);
  }

  @GET
  @Path("/port-check")
  @Operation(summary = "Whether a port could be used for a new session, and if not, why")
  public PortPool.PortCheck portCheck(@QueryParam("port") Integer port) {
    if (port == null) {
      throw ApiException.validation(List.of(new FieldError("port", "is required, e.g. ?port=8085")));
    }
    Set<Integer> held =
        sessions.running().stream().map(s -> s.config().listenPort()).collect(Collectors.toSet());
    return portPool.check(port, held);
  }
}
