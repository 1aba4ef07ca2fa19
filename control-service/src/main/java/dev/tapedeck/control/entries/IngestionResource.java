package dev.tapedeck.control.entries;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.proto.storage.v1.AwaitIngestionResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/recorder/{id}/ingestion}: whether the session's captures already in Kafka are
 * stored, waiting up to {@code wait} seconds for them; for a job that reads entries right after a
 * load (exports wait by themselves).
 */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class IngestionResource {
  /** The longest wait one call may ask for, in seconds (storage's own bound). */
  static final int MAX_WAIT_SECONDS = 300;

  private final SessionService sessions;
  private final IngestionWait ingestion;
  private final EntryQueries entries;
  private final CurrentCaller caller;

  public IngestionResource(
      SessionService sessions, IngestionWait ingestion, EntryQueries entries, CurrentCaller caller) {
    this.sessions = sessions;
    this.ingestion = ingestion;
    this.entries = entries;
    this.caller = caller;
  }

  /** Where ingestion stands: caught up or not, the records still waiting, the entries stored. */
  public record IngestionState(
      String sessionId, boolean caughtUp, long pendingRecords, long entryCount) {}

  @GET
  @Path("/{id}/ingestion")
  @Operation(
      summary = "Whether the session's captures already in Kafka are stored, waiting up to `wait` seconds")
  public IngestionState ingestion(
      @PathParam("id") String id,
      @Parameter(description = "Seconds to wait for ingestion to catch up, 0 (ask once) to 300")
          @QueryParam("wait")
          @DefaultValue("0")
          int waitSeconds) {
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw ApiException.validation(
          List.of(new FieldError("wait", "must be between 0 and " + MAX_WAIT_SECONDS + " seconds")));
    }
    Session session = sessions.get(caller.get(), id);
    AwaitIngestionResponse progress =
        ingestion.progress(session.id(), Duration.ofSeconds(waitSeconds));
    long stored = entries.counts(List.of(session.id())).getOrDefault(session.id(), 0L);
    return new IngestionState(
        session.id(), progress.getCaughtUp(), progress.getPendingRecords(), stored);
  }
}
