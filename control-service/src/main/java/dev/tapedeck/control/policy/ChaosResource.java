package dev.tapedeck.control.policy;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.policy.ChaosSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Global chaos in mockd's shape: latency between min and max with a probability, errors with a
 * probability and status codes. Applies to every running session; admin key only.
 */
@Path("/api/v1/chaos")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Chaos")
public class ChaosResource {
  private final GlobalChaos chaos;
  private final SessionService sessions;
  private final CurrentCaller caller;

  public ChaosResource(GlobalChaos chaos, SessionService sessions, CurrentCaller caller) {
    this.chaos = chaos;
    this.sessions = sessions;
    this.caller = caller;
  }

  @GET
  @Operation(summary = "The global chaos settings")
  public ChaosSettings get() {
    requireAdmin();
    return view(chaos.current());
  }

  @PUT
  @Operation(
      summary =
          "Replace the global chaos settings; every running session applies them within a second")
  public ChaosSettings put(ChaosSettings settings) {
    requireAdmin();
    chaos.set(PolicyChecks.chaos(settings));
    sessions.republishRunning();
    return view(chaos.current());
  }

  private static ChaosSettings view(ChaosSettings c) {
    return new ChaosSettings(c.on(), c.latency(), c.errorRate());
  }

  private void requireAdmin() {
    if (!caller.get().admin()) {
      throw new ApiException(403, "forbidden", "Only the admin key may change global chaos");
    }
  }
}
