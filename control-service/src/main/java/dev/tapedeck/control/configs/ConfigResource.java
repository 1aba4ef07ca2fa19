package dev.tapedeck.control.configs;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.secrets.Secrets;
import dev.tapedeck.control.session.SessionConfigValidator;
import dev.tapedeck.control.session.StartRequest;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Saved session configs under {@code /api/v1/recorder/configs}: a config is the body of
 * {@code /start}, validated by the same rules, named, and kept for reuse (at most
 * {@code tapedeck.configs.max-per-user} per user).
 */
@Path("/api/v1/recorder/configs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Saved configurations")
public class ConfigResource {
  private final ConfigStore store;
  private final SessionConfigValidator validator;
  private final CurrentCaller caller;
  private final int maxPerUser;

  public ConfigResource(
      ConfigStore store,
      SessionConfigValidator validator,
      CurrentCaller caller,
      @ConfigProperty(name = "tapedeck.configs.max-per-user") int maxPerUser) {
    this.store = store;
    this.validator = validator;
    this.caller = caller;
    this.maxPerUser = maxPerUser;
  }

  /**
   * A saved config as listed: its id, when it was saved, and the config itself, its secrets read
   * {@code "(set)"}.
   */
  public record ConfigView(String id, String createdAt, StartRequest config) {
    static ConfigView of(SavedConfig c) {
      return new ConfigView(c.id(), c.createdAt().toString(), Secrets.redact(c.config()));
    }
  }

  /** The list. */
  public record ConfigList(List<ConfigView> configs) {}

  /** What a delete removed. */
  public record Deleted(String id, boolean deleted) {}

  @GET
  @Operation(summary = "List the caller's saved configs")
  public ConfigList list() {
    Caller c = caller.get();
    return new ConfigList(
        store.list(c.admin() ? null : c.userId()).stream().map(ConfigView::of).toList());
  }

  @POST
  @Operation(summary = "Save a session config (the body of /start, with a name)")
  public Response save(StartRequest config) {
    return Response.status(201).entity(ConfigView.of(create(config))).build();
  }

  @POST
  @Path("/import")
  @Operation(summary = "Import a config exported by /configs/{id}/export")
  public Response importConfig(StartRequest config) {
    return save(config);
  }

  @GET
  @Path("/{id}/export")
  @Operation(
      summary = "Download a saved config as a JSON file that /configs/import accepts",
      description =
          "Secrets (upstreamTls.clientKeyPem, the upstreamProxy password, secret header values) read"
              + " \"(set)\" and must be given again before an import.")
  public Response export(@PathParam("id") String id) {
    SavedConfig config = visible(id);
    return Response.ok(Secrets.redact(config.config()))
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + fileName(config.config().name()) + ".json\"")
        .build();
  }

  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete a saved config")
  public Deleted delete(@PathParam("id") String id) {
    store.delete(visible(id).id());
    return new Deleted(id, true);
  }

  private synchronized SavedConfig create(StartRequest config) {
    validator.validate(config);
    if (config.name() == null || config.name().isBlank()) {
      throw ApiException.validation(List.of(new FieldError("name", "is required for a saved config")));
    }
    Caller c = caller.get();
    if (store.count(c.userId()) >= maxPerUser) {
      throw ApiException.conflict(
          "config_limit", "At most " + maxPerUser + " saved configs per user; delete one first");
    }
    SavedConfig saved =
        new SavedConfig(
            UUID.randomUUID().toString(),
            c.userId(),
            config,
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    store.save(saved);
    return saved;
  }

  private SavedConfig visible(String id) {
    return store
        .find(id)
        .filter(c -> caller.get().canSee(c.ownerId()))
        .orElseThrow(() -> ApiException.notFound("Config " + id));
  }

  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
