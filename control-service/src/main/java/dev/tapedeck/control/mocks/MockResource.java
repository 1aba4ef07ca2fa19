package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tapedeck's mock store under {@code /api/v1/mocks}: lists, reads, exports and deletes the mocks
 * {@link MockGenerationResource} made. Mocks belong to the user who made them.
 */
@Path("/api/v1/mocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mocks")
public class MockResource {
  private final MockStore store;
  private final CurrentCaller caller;
  private final ObjectMapper json;

  public MockResource(MockStore store, CurrentCaller caller, ObjectMapper json) {
    this.store = store;
    this.caller = caller;
    this.json = json;
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
      JsonNode definition) {
    static MockView of(Mock m) {
      return new MockView(
          m.id(), m.namespace(), m.tags(), m.priority(), m.chainId(), m.sessionId(),
          m.createdAt().toString(), m.updatedAt().toString(), m.definition());
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

  private Mock visible(String id) {
    return store
        .find(id)
        .filter(m -> caller.get().canSee(m.ownerId()))
        .orElseThrow(() -> ApiException.notFound("Mock " + id));
  }
}
