package dev.tapedeck.control.auth;

/**
 * Who is calling the API. The walking skeleton knows only the admin; per-user keys come with the
 * users API, and every ownership check already goes through {@link #canSee(String)}.
 */
public record Caller(String userId, boolean admin) {
  public static final Caller ADMIN = new Caller("admin", true);

  /** Whether this caller may see and change something owned by {@code ownerId}. */
  public boolean canSee(String ownerId) {
    return admin || userId.equals(ownerId);
  }
}
