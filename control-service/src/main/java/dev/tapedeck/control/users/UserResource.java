package dev.tapedeck.control.users;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users and their API keys, under {@code /api/v1/admin/users}; admin only. */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
public class UserResource {
  private final UserStore users;
  private final CurrentCaller caller;

  public UserResource(UserStore users, CurrentCaller caller) {
    this.users = users;
    this.caller = caller;
  }

  /** The body of a create: the user's name. */
  public record NewUser(String name) {}

  /** A user as listed: never the key, only its first characters. */
  public record UserView(String id, String name, String keyPrefix, String createdAt) {
    static UserView of(User u) {
      return new UserView(u.id(), u.name(), u.keyPrefix(), u.createdAt().toString());
    }
  }

  /** A created user with its key, shown this once. */
  public record CreatedUser(UserView user, String apiKey) {}

  /** The user list. */
  public record UserList(List<UserView> users) {}

  /** What a delete removed. */
  public record Deleted(String id, boolean deleted) {}

  @POST
  @Operation(summary = "Create a user; the answer holds its API key, which is not shown again")
  public Response create(NewUser body) {
    requireAdmin();
    String name = body == null || body.name() == null ? "" : body.name().trim();
    if (name.isEmpty() || name.length() > 100) {
      throw ApiException.validation(List.of(new FieldError("name", "is required, at most 100 characters")));
    }
    String key = ApiKeys.generate();
    User user =
        new User(
            UUID.randomUUID().toString(),
            name,
            ApiKeys.hash(key),
            ApiKeys.prefix(key),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    users.save(user);
    return Response.status(201).entity(new CreatedUser(UserView.of(user), key)).build();
  }

  @GET
  @Operation(summary = "List users")
  public UserList list() {
    requireAdmin();
    return new UserList(users.all().stream().map(UserView::of).toList());
  }

  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete a user; its key stops working at once")
  public Deleted delete(@PathParam("id") String id) {
    requireAdmin();
    if (!users.delete(id)) {
      throw ApiException.notFound("User " + id);
    }
    return new Deleted(id, true);
  }

  private void requireAdmin() {
    if (!caller.get().admin()) {
      throw new ApiException(403, "forbidden", "Only the admin key may manage users");
    }
  }
}
