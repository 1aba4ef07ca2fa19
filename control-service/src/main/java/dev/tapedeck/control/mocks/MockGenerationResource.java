package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.export.ExportRequestBody;
import dev.tapedeck.control.export.Exports;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/recorder/{id}/mocks}: turns recorded entries into mocks in the mock store
 * (WireMock 3 stub mappings, planned by converter-service with smart matching and sequences).
 */
@Path("/api/v1/recorder/{id}/mocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mocks")
public class MockGenerationResource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{0,64}");

  private final SessionService sessions;
  private final Exports exports;
  private final MockStore store;
  private final CurrentCaller caller;
  private final ObjectMapper json;
  private final Clock clock;
  private final MockLimits limits;

  public MockGenerationResource(
      SessionService sessions,
      Exports exports,
      MockStore store,
      CurrentCaller caller,
      ObjectMapper json,
      Clock clock,
      MockLimits limits) {
    this.limits = limits;
    this.sessions = sessions;
    this.exports = exports;
    this.store = store;
    this.caller = caller;
    this.json = json;
    this.clock = clock;
  }

  /** The body of mock generation; field names as in the Mockarty recorder reference. */
  public record GenerateMocks(
      List<String> entryIds,
      String namespace,
      String prefix,
      List<String> tags,
      String chainId,
      Boolean forceUpdate,
      Integer priority,
      Boolean smartMatch,
      String duplicates) {}

  /** What a generation did. */
  public record Generated(int created, int updated, int skipped, List<String> mockIds, List<String> skippedIds) {}

  @POST
    @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Generate mocks from a session's entries into the mock store",
      description =
          "entryIds (all when empty), namespace (the session's namespace when absent), prefix for the mock ids, tags, chainId,"
              + " priority (5), forceUpdate (replace mocks with the same id; otherwise they are"
              + " skipped), smartMatch and duplicates as for exports.")
  public Generated generate(@PathParam("id") String sessionId, GenerateMocks given) {
    GenerateMocks body = given == null ? new GenerateMocks(null, null, null, null, null, null, null, null, null) : given;
    List<FieldError> errors = new ArrayList<>();
    Caller who = caller.get();
    // As in Mockarty: without a namespace, the mocks go to the session's own.
    Session session = sessions.get(who, sessionId);
    String namespace =
        body.namespace() != null && !body.namespace().isBlank()
            ? body.namespace()
            : session.config().namespace() == null || session.config().namespace().isBlank()
                ? "default"
                : session.config().namespace();
    String prefix = body.prefix() == null ? "" : body.prefix();
    if (!NAME.matcher(namespace).matches()) {
      errors.add(new FieldError("namespace", "must be 1-64 letters, digits, '.', '_' or '-'"));
    }
    if (!NAME.matcher(prefix).matches()) {
      errors.add(new FieldError("prefix", "must be at most 64 letters, digits, '.', '_' or '-'"));
    }
    int priority = body.priority() == null ? 5 : body.priority();
    if (priority < 1 || priority > 100) {
      errors.add(new FieldError("priority", "must be between 1 and 100"));
    }
    if (body.tags() != null && (body.tags().size() > 50 || body.tags().stream().anyMatch(t -> t == null || t.isBlank() || t.length() > 100))) {
      errors.add(new FieldError("tags", "at most 50 tags of 1-100 characters"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    ExportRequestBody options =
        new ExportRequestBody(
            body.entryIds(), "wiremock", body.smartMatch(), body.duplicates(),
            null, null, null, null, null, null, null, null, null, null);
    JsonNode mappings;
    try {
      mappings = json.readTree(exports.render(session, "wiremock", options)).path("mappings");
    } catch (IOException e) {
      throw new IllegalStateException("converter-service sent mappings that are not JSON", e);
    }
    boolean force = Boolean.TRUE.equals(body.forceUpdate());
    long adding = 0;
    for (JsonNode mapping : mappings) {
      if (store.find(prefix + mapping.path("id").asText()).isEmpty()) {
        adding++;
      }
    }
    limits.check(who.userId(), namespace, adding);
    List<String> tags = body.tags() == null ? List.of() : List.copyOf(body.tags());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    int created = 0;
    int updated = 0;
    List<String> ids = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (JsonNode mapping : mappings) {
      String id = prefix + mapping.path("id").asText();
      var existing = store.find(id);
      if (existing.isPresent() && (!existing.get().ownerId().equals(who.userId()) || !force)) {
        skipped.add(id);
        continue;
      }
      ObjectNode definition = ((ObjectNode) mapping.deepCopy()).put("id", id).put("priority", priority);
      ObjectNode metadata = definition.withObject("metadata");
      metadata.put("namespace", namespace);
      ArrayNode tagList = metadata.putArray("tags");
      tags.forEach(tagList::add);
      if (body.chainId() != null) {
        metadata.put("chainId", body.chainId());
      }
      store.save(
          new Mock(id, who.userId(), namespace, tags, priority, body.chainId(), session.id(),
              existing.map(Mock::createdAt).orElse(now), now, definition));
      ids.add(id);
      if (existing.isPresent()) {
        updated++;
      } else {
        created++;
      }
    }
    return new Generated(created, updated, skipped.size(), ids, skipped);
  }
}
