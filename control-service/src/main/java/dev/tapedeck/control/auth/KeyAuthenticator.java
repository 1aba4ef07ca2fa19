package dev.tapedeck.control.auth;

import dev.tapedeck.control.users.ApiKeys;
import dev.tapedeck.control.users.User;
import dev.tapedeck.control.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns a presented API key into a caller: the admin key, or a user's key. One rule for REST
 * calls and WebSocket handshakes alike.
 */
@ApplicationScoped
public class KeyAuthenticator {
  private final AdminKey adminKey;
  private final UserStore users;
  private final boolean enabled;

  public KeyAuthenticator(
      AdminKey adminKey, UserStore users, @ConfigProperty(name = "tapedeck.auth.enabled") boolean enabled) {
    this.adminKey = adminKey;
    this.users = users;
    this.enabled = enabled;
  }

  /** Whether keys are checked at all. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The key a request presents: {@code Authorization: Bearer}, then {@code X-API-Key}, then the
   * {@code api_key} query parameter (browsers cannot set headers on a WebSocket).
   */
  public static String presentedKey(String authorization, String xApiKey, String queryKey) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (xApiKey != null && !xApiKey.isBlank()) {
      return xApiKey.trim();
    }
    return queryKey;
  }

  /** The caller for {@code presented}; empty when the key is missing or unknown. */
  public Optional<Caller> authenticate(String presented) {
    if (!enabled) {
      return Optional.of(Caller.ADMIN);
    }
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    if (adminKey.matches(presented)) {
      return Optional.of(Caller.ADMIN);
    }
    Optional<User> user = users.byKeyHash(ApiKeys.hash(presented));
    return user.map(u -> new Caller(u.id(), false));
  }
}
