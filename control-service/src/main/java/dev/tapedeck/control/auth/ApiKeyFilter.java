package dev.tapedeck.control.auth;

import dev.tapedeck.control.api.ApiExceptionMapper;
import dev.tapedeck.control.users.ApiKeys;
import dev.tapedeck.control.users.User;
import dev.tapedeck.control.users.UserStore;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires the API key on every {@code /api/} call, given as {@code Authorization: Bearer <key>},
 * {@code X-API-Key: <key>} or the {@code api_key} query parameter (as mockd accepts it). Health and
 * metrics live under {@code /q/} and stay open. The admin key sees everything; a user's key
 * (see {@code /api/v1/admin/users}) sees only that user's sessions. {@code tapedeck.auth.enabled=false} switches the
 * check off for local use.
 */
public class ApiKeyFilter {
  private final AdminKey adminKey;
  private final CurrentCaller currentCaller;
  private final UserStore users;
  private final boolean enabled;

  public ApiKeyFilter(
      AdminKey adminKey,
      CurrentCaller currentCaller,
      UserStore users,
      @ConfigProperty(name = "tapedeck.auth.enabled") boolean enabled) {
    this.adminKey = adminKey;
    this.currentCaller = currentCaller;
    this.users = users;
    this.enabled = enabled;
  }

  @ServerRequestFilter(preMatching = true)
  public Optional<Response> authenticate(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return Optional.empty();
    }
    if (!enabled) {
      currentCaller.set(Caller.ADMIN);
      return Optional.empty();
    }
    String presented = presentedKey(request);
    if (presented == null) {
      return Optional.of(
          ApiExceptionMapper.error(
              401,
              "unauthorized",
              "An API key is required: send Authorization: Bearer <key>, X-API-Key: <key> or"
                  + " ?api_key=<key>"));
    }
    if (adminKey.matches(presented)) {
      currentCaller.set(Caller.ADMIN);
      return Optional.empty();
    }
    Optional<User> user = users.byKeyHash(ApiKeys.hash(presented));
    if (user.isEmpty()) {
      return Optional.of(ApiExceptionMapper.error(401, "unauthorized", "The API key is not valid"));
    }
    currentCaller.set(new Caller(user.get().id(), false));
    return Optional.empty();
  }

  private static String presentedKey(ContainerRequestContext request) {
    String authorization = request.getHeaderString("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    String header = request.getHeaderString("X-API-Key");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    return request.getUriInfo().getQueryParameters().getFirst("api_key");
  }
}
