package dev.tapedeck.control.search;

import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.entries.EntryQueries;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Search across the caller's traffic (every session they can see, or one of them), by text in
 * URLs, headers and bodies and by method, status, host, type and time.
 */
@Path("/api/v1/recorder/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Entries")
public class SearchResource {
  private final SessionService sessions;
  private final EntryQueries entries;
  private final CurrentCaller caller;

  public SearchResource(SessionService sessions, EntryQueries entries, CurrentCaller caller) {
    this.sessions = sessions;
    this.entries = entries;
    this.caller = caller;
  }

  /** One page of matches, newest first, with the number of all matches. */
  public record SearchPage(List<EntryView> entries, long total, int offset, int limit) {}

  @GET
  @Operation(
      summary = "Search the caller's entries",
      description =
          "Matches across every session the caller can see (an admin: all), newest first. Every"
              + " parameter that is set must match.")
  public SearchPage search(
      @Parameter(description = "Text in the URL, a header or a textual body (decoded), any case")
          @QueryParam("q")
          String q,
      @Parameter(description = "Methods, comma-separated: GET,POST") @QueryParam("method") String method,
      @Parameter(description = "A code (404), a class (4xx) or a range (500-503)") @QueryParam("status")
          String status,
      @Parameter(description = "Host, exact or a glob: *.example.com") @QueryParam("host") String host,
      @Parameter(description = "Entry types, comma-separated: http, websocket, sse, grpc, soap, mcp, tunnel")
          @QueryParam("type")
          String type,
      @Parameter(description = "Started at or after this ISO-8601 instant") @QueryParam("from") String from,
      @Parameter(description = "Started before this ISO-8601 instant") @QueryParam("to") String to,
      @Parameter(description = "Only this session's entries") @QueryParam("sessionId") String sessionId,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @Parameter(description = "1 to 500") @QueryParam("limit") @DefaultValue("50") int limit) {
    Caller who = caller.get();
    List<String> scope =
        sessionId == null || sessionId.isBlank()
            ? sessions.list(who).stream().map(Session::id).toList()
            : List.of(sessions.get(who, sessionId.trim()).id());
    var request =
        SearchFilters.toRequest(
            new SearchFilters.Params(q, method, status, host, type, from, to, offset, limit), scope);
    if (scope.isEmpty()) {
      return new SearchPage(List.of(), 0, offset, limit);
    }
    EntryQueries.Found found = entries.search(request);
    return new SearchPage(found.entries(), found.total(), offset, limit);
  }
}
