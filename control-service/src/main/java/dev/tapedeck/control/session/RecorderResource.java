package dev.tapedeck.control.session;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.entries.EntryQueries;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.export.ExportRequestBody;
import dev.tapedeck.control.export.Exports;
import dev.tapedeck.control.live.LiveEventStream;
import dev.tapedeck.control.ports.PortPool;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The recorder API under {@code /api/v1/recorder}, as the Mockarty recorder reference names it. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class RecorderResource {
  static final int MAX_PAGE = 1000;
  static final int MAX_TAGS = 50;
  static final int MAX_TAG_LENGTH = 100;
  static final int MAX_NOTES_LENGTH = 10_000;

  private final SessionService sessions;
  private final EntryQueries entries;
  private final Exports exports;
  private final CurrentCaller caller;
  private final PortPool portPool;
  private final LiveEventStream live;

  public RecorderResource(
      SessionService sessions,
      EntryQueries entries,
      Exports exports,
      CurrentCaller caller,
      PortPool portPool,
      LiveEventStream live) {
    this.sessions = sessions;
    this.entries = entries;
    this.exports = exports;
    this.caller = caller;
    this.portPool = portPool;
    this.live = live;
  }

  /** The start response: {@code {"session": {...}}}. */
  public record SessionEnvelope(SessionView session) {}

  /** The session list. */
  public record SessionList(List<SessionView> sessions, int total) {}

  /** One page of entries. */
  /**
   * A page of entries; {@code nextCursor} (when the page is full) fetches the next page with
   * {@code ?cursor=}, unaffected by entries stored or evicted meanwhile.
   */
  public record EntryPage(
      List<EntryView> entries, long total, int offset, int limit, String nextCursor) {}

  /** One entry. */
  public record EntryEnvelope(EntryView entry) {}

  @POST
  @Path("/start")
  @Operation(summary = "Start a recording session; returns once the proxy pods listen on its port")
  public Response start(StartRequest request) {
    Session session = sessions.start(caller.get(), request);
    return Response.status(201).entity(new SessionEnvelope(SessionView.of(session, 0L, null))).build();
  }

  @GET
  @Path("/sessions")
  @Operation(summary = "List the caller's sessions, newest first")
  public SessionList list() {
    List<Session> all = sessions.list(caller.get());
    Map<String, Long> counts = entries.counts(all.stream().map(Session::id).toList());
    List<SessionView> views = new ArrayList<>();
    for (Session s : all) {
      views.add(SessionView.of(
              s,
              counts.isEmpty() ? null : counts.getOrDefault(s.id(), 0L),
              sessions.retainedUntil(s),
              sessions.backpressureSeconds(s)));
    }
    return new SessionList(views, views.size());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Get one session")
  public SessionEnvelope get(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    return new SessionEnvelope(view(session));
  }

  @POST
  @Path("/{id}/stop")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Stop a running session; its proxy listeners close, its entries stay")
  public SessionEnvelope stop(@PathParam("id") String id) {
    return new SessionEnvelope(view(sessions.stop(caller.get(), id)));
  }

  @POST
  @Path("/{id}/restart")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Run a stopped session again: same config, its old port if still free")
  public SessionEnvelope restart(@PathParam("id") String id) {
    return new SessionEnvelope(view(sessions.restart(caller.get(), id)));
  }

  /** What a delete removed. */
  public record Deleted(String id, boolean deleted, long entriesDeleted) {}

  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete a session and all its entries")
  public Deleted delete(@PathParam("id") String id) {
    long entries = sessions.delete(caller.get(), id, this.entries::deleteAll);
    return new Deleted(id, true, entries);
  }

  /** One leased port. */
  public record PortLease(int port, String sessionId, String sessionName) {}

  /** The port pool: {@code used} of {@code max} ports in the window, with the caller's leases. */
  public record PortPoolView(int used, int max, int rangeMin, int rangeMax, List<PortLease> details) {}

  @GET
  @Path("/ports")
  @Operation(summary = "Port pool status: used, max, and the leases the caller can see")
  public PortPoolView ports() {
    List<Session> running = sessions.running();
    List<PortLease> details =
        running.stream()
            .filter(s -> caller.get().canSee(s.ownerId()))
            .map(s -> new PortLease(s.config().listenPort(), s.id(), s.config().name()))
            .sorted(Comparator.comparingInt(PortLease::port))
            .toList();
    return new PortPoolView(
        running.size(), portPool.max() - portPool.min() + 1, portPool.min(), portPool.max(), details);
  }

  @GET
  @Path("/port-check")
  @Operation(summary = "Whether a port could be used for a new session, and if not, why")
  public PortPool.PortCheck portCheck(@QueryParam("port") Integer port) {
    if (port == null) {
      throw ApiException.validation(List.of(new FieldError("port", "is required, e.g. ?port=8085")));
    }
    Set<Integer> held =
        sessions.running().stream().map(s -> s.config().listenPort()).collect(Collectors.toSet());
    return portPool.check(port, held);
  }

  @GET
  @Path("/{id}/entries")
  @Operation(summary = "List a session's entries, paginated (oldest first unless order=newest)")
  public EntryPage entries(
      @PathParam("id") String id,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("order") @DefaultValue("oldest") String order,
      @Parameter(description = "nextCursor of the previous page; instead of offset")
          @QueryParam("cursor")
          String cursor) {
    List<FieldError> errors = new ArrayList<>();
    long after = 0;
    if (cursor != null && !cursor.isBlank()) {
      try {
        after = Long.parseLong(cursor.trim());
      } catch (NumberFormatException e) {
        after = -1;
      }
      if (after < 1) {
        errors.add(new FieldError("cursor", "is not a cursor this API gave out (nextCursor)"));
      }
      if (offset != 0) {
        errors.add(new FieldError("offset", "cannot be combined with cursor"));
      }
    }
    if (offset < 0) {
      errors.add(new FieldError("offset", "must be 0 or more"));
    }
    if (limit < 1 || limit > MAX_PAGE) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_PAGE));
    }
    if (!order.equals("oldest") && !order.equals("newest")) {
      errors.add(new FieldError("order", "must be \"oldest\" or \"newest\""));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    List<EntryView> page =
        entries.page(session.id(), offset, limit, order.equals("newest"), Math.max(after, 0));
    long total = entries.counts(List.of(session.id())).getOrDefault(session.id(), 0L);
    String next = page.size() == limit ? Long.toString(page.getLast().sequence()) : null;
    return new EntryPage(page, total, offset, limit, next);
  }

  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @Blocking
  @Operation(
      summary = "Server-sent events: the same live messages as the WebSocket at /{id}/ws",
      description =
          "Each stored entry as a summary (id, method, url, statusCode, body sizes, timings). A client"
              + " that leaves more than tapedeck.live.queue-size messages unread gets a last"
              + " {\"type\":\"closed\",\"reason\":\"slow_consumer\"} event and the stream ends.")
  public Multi<String> events(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    return live.open(session.id());
  }

  @GET
  @Path("/{id}/entries/{entryId}")
  @Operation(summary = "Get one entry with its bodies")
  public EntryEnvelope entry(@PathParam("id") String id, @PathParam("entryId") String entryId) {
    Session session = sessions.get(caller.get(), id);
    return new EntryEnvelope(entries.one(session.id(), entryId));
  }

  /** The body of an annotation: tags and/or notes; what is absent keeps its value. */
  public record Annotation(List<String> tags, String notes) {}

  @PATCH
  @Path("/{id}/entries/{entryId}")
  @Operation(summary = "Annotate an entry: replace its tags and/or notes")
  public EntryEnvelope annotate(
      @PathParam("id") String id, @PathParam("entryId") String entryId, Annotation body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || (body.tags() == null && body.notes() == null)) {
      errors.add(new FieldError("body", "give tags, notes or both"));
    } else {
      if (body.tags() != null) {
        if (body.tags().size() > MAX_TAGS) {
          errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
        }
        if (body.tags().stream().anyMatch(t -> t == null || t.isBlank() || t.length() > MAX_TAG_LENGTH)) {
          errors.add(new FieldError("tags", "each tag is 1-" + MAX_TAG_LENGTH + " characters"));
        }
      }
      if (body.notes() != null && body.notes().length() > MAX_NOTES_LENGTH) {
        errors.add(new FieldError("notes", "at most " + MAX_NOTES_LENGTH + " characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    return new EntryEnvelope(entries.annotate(session.id(), entryId, body.tags(), body.notes()));
  }

  /** What an entry delete removed. */
  public record EntryDeleted(String id, boolean deleted) {}

  @DELETE
  @Path("/{id}/entries/{entryId}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete one entry")
  public EntryDeleted deleteEntry(@PathParam("id") String id, @PathParam("entryId") String entryId) {
    Session session = sessions.get(caller.get(), id);
    entries.delete(session.id(), entryId);
    return new EntryDeleted(entryId, true);
  }

  @POST
  @Path("/{id}/export")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(
      summary = "Export the session (or the given entryIds) as a file",
      description =
          "format: har (default), wiremock, mockd, postman, insomnia-v4, insomnia-v5 or openapi;"
              + " with the conversion options of mockd convert (smartMatch, duplicates, methods,"
              + " statuses, includeHosts, pathFilters) and redaction (on unless noRedact).")
  public Response export(@PathParam("id") String id, ExportRequestBody body) {
    return exports.export(sessions.get(caller.get(), id), null, body);
  }

  @POST
  @Path("/{id}/export-perf")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(summary = "Export a k6 load script: the recorded requests with their think times and status checks")
  public Response exportPerf(@PathParam("id") String id, ExportRequestBody body) {
    return exports.export(sessions.get(caller.get(), id), "k6", body);
  }

  @POST
  @Path("/{id}/export-test")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(summary = "Export a test script for node --test that asserts the recorded statuses and response shapes")
  public Response exportTest(@PathParam("id") String id, ExportRequestBody body) {
    return exports.export(sessions.get(caller.get(), id), "node-test", body);
  }

  @POST
  @Path("/{id}/export-collection")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(summary = "Export an API Tester collection (collectionName; protocol http, tests or performance)")
  public Response exportCollection(@PathParam("id") String id, ExportRequestBody body) {
    return exports.export(sessions.get(caller.get(), id), "collection", body);
  }

  private SessionView view(Session session) {
    return SessionView.of(
        session,
        entries.counts(List.of(session.id())).getOrDefault(session.id(), 0L),
        sessions.retainedUntil(session),
        sessions.backpressureSeconds(session));
  }
}
