package dev.tapedeck.control.auth;

import dev.tapedeck.control.api.ApiExceptionMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires an API key on every {@code /api/} call, given as {@code Authorization: Bearer <key>},
 * {@code X-API-Key: <key>} or the {@code api_key} query parameter (as mockd accepts it). Health and
 * metrics live under {@code /q/} and stay open. The admin key sees everything; a user's key (see
 * {@code /api/v1/admin/users}) sees only that user's sessions. {@code tapedeck.auth.enabled=false}
 * switches the check off for local use.
 */
public class ApiKeyFilter {
  private final KeyAuthenticator authenticator;
  private final CurrentCaller currentCaller;

  public ApiKeyFilter(KeyAuthenticator authenticator, CurrentCaller currentCaller) {
    this.authenticator = authenticator;
    this.currentCaller = currentCaller;
  }

  @ServerRequestFilter(preMatching = true)
  public Optional<Response> authenticate(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return Optional.empty();
    }
    String presented =
        KeyAuthenticator.presentedKey(
            request.getHeaderString("Authorization"),
            request.getHeaderString("X-API-Key"),
            request.getUriInfo().getQueryParameters().getFirst("api_key"));
    Optional<Caller> caller = authenticator.authenticate(presented);
    if (caller.isEmpty()) {
      return Optional.of(unauthorized(presented));
    }
    currentCaller.set(caller.get());
    return Optional.empty();
  }

  static Response unauthorized(String presented) {
    return presented == null || presented.isEmpty()
        ? ApiExceptionMapper.error(
            401,
            "unauthorized",
            "An API key is required: send Authorization: Bearer <key>, X-API-Key: <key> or"
                + " ?api_key=<key>")
        : ApiExceptionMapper.error(401, "unauthorized", "The API key is not valid");
  }
}
