package dev.tapedeck.control.correlate;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.entries.IngestionWait;
import dev.tapedeck.control.replay.ReplayEntries;
import dev.tapedeck.control.replay.ReplayLimits;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.correlation.Correlation;
import dev.tapedeck.correlation.CorrelationEngine;
import dev.tapedeck.correlation.CorrelationOptions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/recorder/{id}/correlate}: the deterministic correlation engine over a session. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class CorrelateResource {
  private final SessionService sessions;
  private final ReplayEntries entries;
  private final CurrentCaller caller;
  private final ReplayLimits limits;
  private final IngestionWait ingestion;

  public CorrelateResource(
      SessionService sessions,
      ReplayEntries entries,
      CurrentCaller caller,
      ReplayLimits limits,
      IngestionWait ingestion) {
    this.limits = limits;
    this.ingestion = ingestion;
    this.sessions = sessions;
    this.entries = entries;
    this.caller = caller;
  }

  /** The options, as Mockarty names them; every field optional. */
  public record CorrelateRequest(Integer minValueLength, Boolean excludeNumeric, Integer maxCorrelationsPerSource) {}

  /** The report: how many entries were read (at most tapedeck.replay.max-entries) and the correlations, in the order found. */
  public record CorrelationReport(String sessionId, int entries, int total, List<Correlation> correlations) {}

  @POST
  @Path("/{id}/correlate")
  @Operation(summary = "Find values that flow from responses into later requests (tokens, ids, CSRF values)")
  public CorrelationReport correlate(@PathParam("id") String id, CorrelateRequest body) {
    CorrelationOptions options =
        body == null
            ? CorrelationOptions.DEFAULTS
            : CorrelationOptions.of(body.minValueLength(), body.excludeNumeric(), body.maxCorrelationsPerSource());
    List<FieldError> errors =
        options.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList();
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    ingestion.untilStored(session.id());
    CorrelationEngine engine = new CorrelationEngine(options);
    int read = entries.forEach(session.id(), List.of(), limits.maxEntries(), e -> engine.observe(Steps.of(e)));
    List<Correlation> found = engine.correlations();
    return new CorrelationReport(session.id(), read, found.size(), found);
  }
}
