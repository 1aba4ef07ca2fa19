package dev.tapedeck.control.export;

import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.session.SessionService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A session's exports under {@code /api/v1/recorder/{id}}: HAR and the other file formats. */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class ExportResource {
  private final SessionService sessions;
  private final Exports exports;
  private final CurrentCaller caller;

  public ExportResource(SessionService sessions, Exports exports, CurrentCaller caller) {
    this.sessions = sessions;
    this.exports = exports;
    this.caller = caller;
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
              + " statuses, includeHosts, pathFilters) and redaction (on unless noRedact). Every"
              + " export first waits until the session's captures already in Kafka are stored"
              + " (tapedeck.export.ingestion-wait, 30 s); past it: 503 ingestion_pending with"
              + " Retry-After.")
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
}
