package dev.tapedeck.control.entries;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A session's recorded entries under {@code /api/v1/recorder/{id}/entries}: pages, one, annotate, delete. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class EntryResource {
  static final int MAX_PAGE = 1000;
  static final int MAX_TAGS = 50;
  static final int MAX_TAG_LENGTH = 100;
  static final int MAX_NOTES_LENGTH = 10_000;

  private final SessionService sessions;
  private final EntryQueries entries;
  private final CurrentCaller caller;

  public EntryResource(SessionService sessions, EntryQueries entries, CurrentCaller caller) {
    this.sessions = sessions;
    this.entries = entries;
    this.caller = caller;
  }

  /**
   * A page of entries; {@code nextCursor} (when the page is full) fetches the next page with
   * {@code ?cursor=}, unaffected by entries stored or evicted meanwhile.
   */
  public record EntryPage(
      List<EntryView> entries, long total, int offset, int limit, String nextCursor) {}

  /** One entry. */
  public record EntryEnvelope(EntryView entry) {}

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
}
