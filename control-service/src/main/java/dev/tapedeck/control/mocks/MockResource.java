package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.SessionConfigValidator;
import dev.tapedeck.policy.mock.CompiledMock;
import dev.tapedeck.policy.mock.InvalidMock;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tapedeck's mock store under {@code /api/v1/mocks}, in the shape of mockd's admin API: list,
 * read, create (Tapedeck's format or mockd's), update, toggle, delete, import WireMock mappings,
 * export. Mocks belong to the user who made them: another user's mock is a 404, and a session
 * answers only from its own user's mocks. Every mock is compiled as the proxies will serve it
 * before it is stored, so a mock the proxies cannot serve is a 400 naming the field.
 */
@Path("/api/v1/mocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mocks")
public class MockResource {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final MockStore store;
  private final CurrentCaller caller;
  private final ObjectMapper json;
  private final Clock clock;
  private final MockLimits limits;

  public MockResource(
      MockStore store,
      CurrentCaller caller,
      ObjectMapper json,
      Clock clock,
      MockLimits limits) {
    this.store = store;
    this.caller = caller;
    this.json = json;
    this.clock = clock;
    this.limits = limits;
  }

  /** One mock as the API lists it. */
  public record MockView(
      String id,
      String namespace,
      List<String> tags,
      int priority,
      String chainId,
      String sessionId,
      String createdAt,
      String updatedAt,
      JsonNode definition,
      boolean enabled) {
    static MockView of(Mock m) {
      return new MockView(
          m.id(), m.namespace(), m.tags(), m.priority(), m.chainId(), m.sessionId(),
          m.createdAt().toString(), m.updatedAt().toString(), m.definition(), m.enabled());
    }
  }

  /** The caller's mocks. */
  public record MockList(List<MockView> mocks, int total) {}

  @GET
  @Operation(summary = "List the caller's mocks (an admin: all), optionally in one namespace")
  public MockList list(@QueryParam("namespace") String namespace) {
    Caller who = caller.get();
    List<MockView> views = store.list(who.admin() ? null : who.userId(), namespace).stream().map(MockView::of).toList();
    return new MockList(views, views.size());
  }

  @GET
  @Path("/export")
  @Operation(summary = "The caller's mocks as a WireMock 3 mappings file ({\"mappings\": [...]})")
  public JsonNode export(@QueryParam("namespace") String namespace) {
    Caller who = caller.get();
    ObjectNode file = json.createObjectNode();
    ArrayNode list = file.putArray("mappings");
    store.list(who.admin() ? null : who.userId(), namespace).forEach(m -> list.add(m.definition()));
    return file;
  }

  @GET
  @Path("/{mockId}")
  @Operation(summary = "One mock")
  public MockView get(@PathParam("mockId") String id) {
    return MockView.of(visible(id));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create a mock",
      description =
          "Tapedeck's format: a WireMock 3 stub mapping (request, response, priority, scenarioName,"
              + " requiredScenarioState, newScenarioState) with namespace (default \"default\"), tags and enabled"
              + " beside it; or mockd's {\"type\": \"http\", \"name\", \"http\": {\"matcher\": {method, path,"
              + " pathPattern, headers, queryParams, bodyContains, bodyEquals}, \"response\": {statusCode, headers,"
              + " body, delayMs}}}. 201 with the mock.")
  public Response create(@QueryParam("namespace") String namespaceParam, JsonNode body) {
    Mock mock = build(null, body, namespaceParam);
    if (store.find(mock.id()).isPresent()) {
      throw ApiException.conflict("mock_exists", "Mock " + mock.id() + " exists; PUT /api/v1/mocks/" + mock.id() + " replaces it");
    }
    checkLimits(mock.ownerId(), mock.namespace(), 1);
    store.save(mock);
    return Response.status(201).entity(MockView.of(mock)).build();
  }

  @PUT
  @Path("/{mockId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Replace a mock (either format, as for POST); proxies serve the change within a second")
  public MockView update(@PathParam("mockId") String id, @QueryParam("namespace") String namespaceParam, JsonNode body) {
    Mock existing = visible(id);
    Mock mock = build(existing, body, namespaceParam);
    if (!mock.namespace().equals(existing.namespace())) {
      checkLimits(mock.ownerId(), mock.namespace(), 0);
    }
    store.save(mock);
    return MockView.of(mock);
  }

  @POST
  @Path("/{mockId}/toggle")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Enable a disabled mock or disable an enabled one (a disabled mock never answers)")
  public MockView toggle(@PathParam("mockId") String id) {
    Mock mock = visible(id);
    Mock toggled = mock.withEnabled(!mock.enabled(), now());
    store.save(toggled);
    return MockView.of(toggled);
  }

  /** What an import did: the mocks stored and, for each mapping refused, its index and why. */
  public record Imported(int imported, List<String> mockIds, List<ImportError> errors) {}

  /** A mapping an import refused. */
  public record ImportError(int index, String field, String message) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @POST
  @Path("/import")
  @Consumes({"application/yaml", "application/x-yaml", "text/yaml"})
  @Operation(
      summary = "Import a mockd config file (YAML: version, mocks: [...]), as mockd's own tool and Tapedeck's mockd export write it",
      description = "Into ?namespace= (default \"default\"), as the JSON import does.")
  public Imported importMockdYaml(@QueryParam("namespace") String namespaceParam, String yaml) {
    JsonNode body;
    try {
      body = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw ApiException.validation(
          List.of(new FieldError("", "is not YAML: " + e.getOriginalMessage())));
    }
    return importMocks(namespaceParam, body);
  }

  @POST
  @Path("/import")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Import WireMock mappings ({\"mappings\": [...]}, one mapping) or mockd mocks ({\"mocks\": [...]})",
      description =
          "Into ?namespace= (default \"default\"). A mapping with an id replaces the caller's mock of that id;"
              + " each mapping that cannot be served is listed in errors and the others are stored.")
  public Imported importMocks(@QueryParam("namespace") String namespaceParam, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.validation(List.of(new FieldError("", "must be {\"mappings\": [...]}, {\"mocks\": [...]} or one mapping")));
    }
    List<JsonNode> items = new ArrayList<>();
    if (body.has("mappings") || body.has("mocks")) {
      body.path(body.has("mappings") ? "mappings" : "mocks").forEach(items::add);
    } else {
      items.add(body);
    }
    Caller who = caller.get();
    List<Mock> ready = new ArrayList<>();
    List<ImportError> errors = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        String id = items.get(i).path("id").asText(null);
        Mock existing = id == null ? null : store.find(id).orElse(null);
        if (existing != null && !existing.ownerId().equals(who.userId())) {
          errors.add(new ImportError(i, "id", "is taken"));
          continue;
        }
        ready.add(build(existing, items.get(i), namespaceParam));
      } catch (ApiException e) {
        int index = i;
        if (e.fields() == null || e.fields().isEmpty()) {
          errors.add(new ImportError(index, "", e.getMessage()));
        } else {
          e.fields().forEach(f -> errors.add(new ImportError(index, f.field(), f.message())));
        }
      }
    }
    long added = ready.stream().filter(m -> store.find(m.id()).isEmpty()).count();
    if (!ready.isEmpty()) {
      checkLimits(who.userId(), ready.get(0).namespace(), (int) added);
    }
    List<String> ids = new ArrayList<>();
    for (Mock m : ready) {
      store.save(m);
      ids.add(m.id());
    }
    return new Imported(ids.size(), ids, errors);
  }

  /** What a delete removed. */
  public record Deleted(String id, boolean deleted) {}

  @DELETE
  @Path("/{mockId}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete one mock")
  public Deleted delete(@PathParam("mockId") String id) {
    store.delete(visible(id).id());
    return new Deleted(id, true);
  }

  /** The mock (owned by the caller or, for an admin, anyone); 404 otherwise. */
  Mock visible(String id) {
    return store
        .find(id)
        .filter(m -> caller.get().canSee(m.ownerId()))
        .orElseThrow(() -> ApiException.notFound("Mock " + id));
  }

  /**
   * The mock {@code body} describes, checked as the proxies will compile it; {@code existing} is
   * the mock it replaces (its owner, id and creation time stay).
   */
  private Mock build(Mock existing, JsonNode body, String namespaceParam) {
    ObjectNode mapping = MockFormats.mapping(body);
    List<FieldError> errors = new ArrayList<>();
    String namespace =
        body.hasNonNull("namespace")
            ? body.get("namespace").asText()
            : namespaceParam != null ? namespaceParam : existing != null ? existing.namespace() : "default";
    if (!SessionConfigValidator.NAMESPACE.matcher(namespace).matches()) {
      errors.add(new FieldError("namespace", "must be 1-64 letters, digits, '.', '_' or '-'"));
    }
    String id = existing != null ? existing.id() : mapping.hasNonNull("id") ? mapping.get("id").asText() : UUID.randomUUID().toString();
    if (!ID.matcher(id).matches()) {
      errors.add(new FieldError("id", "must be 1-128 letters, digits, '.', '_' or '-'"));
    }
    int priority = mapping.path("priority").asInt(existing != null ? existing.priority() : 5);
    if (priority < 1 || priority > 100) {
      errors.add(new FieldError("priority", "must be between 1 and 100"));
    }
    List<String> tags = new ArrayList<>();
    body.path("tags").forEach(t -> tags.add(t.asText()));
    if (tags.size() > 50 || tags.stream().anyMatch(t -> t.isBlank() || t.length() > 100)) {
      errors.add(new FieldError("tags", "at most 50 tags of 1-100 characters"));
    }
    boolean enabled = body.path("enabled").asBoolean(existing == null || existing.enabled());
    mapping.put("id", id).put("priority", priority);
    try {
      CompiledMock.compile(id, priority, enabled, mapping);
    } catch (InvalidMock e) {
      errors.add(new FieldError(e.field(), e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    ObjectNode metadata = mapping.withObject("metadata");
    metadata.put("namespace", namespace);
    ArrayNode tagList = metadata.putArray("tags");
    tags.forEach(tagList::add);
    String chainId = body.hasNonNull("chainId") ? body.get("chainId").asText() : existing == null ? null : existing.chainId();
    Instant now = now();
    return new Mock(
        id,
        existing != null ? existing.ownerId() : caller.get().userId(),
        namespace,
        List.copyOf(tags),
        priority,
        chainId,
        existing == null ? null : existing.sessionId(),
        existing == null ? now : existing.createdAt(),
        now,
        mapping,
        enabled);
  }

  void checkLimits(String ownerId, String namespace, int adding) {
    limits.check(ownerId, namespace, adding);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
