package dev.tapedeck.control.imports;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.entries.EntryQueries;
import dev.tapedeck.control.imports.HarEntries.BadHarException;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionRetention;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.control.session.SessionView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** HAR import: {@code POST /api/v1/recorder/import}, a HAR file into a new or existing session. */
@Path("/api/v1/recorder/import")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Entries")
public class ImportResource {
  private final SessionService sessions;
  private final SessionRetention retention;
  private final EntryQueries entries;
  private final HarImport importer;
  private final CurrentCaller caller;
  private final long maxEntriesPerSession;

  public ImportResource(
      SessionService sessions,
      SessionRetention retention,
      EntryQueries entries,
      HarImport importer,
      CurrentCaller caller,
      @ConfigProperty(name = "tapedeck.imports.max-entries-per-session") long maxEntriesPerSession) {
    this.sessions = sessions;
    this.retention = retention;
    this.entries = entries;
    this.importer = importer;
    this.caller = caller;
    this.maxEntriesPerSession = maxEntriesPerSession;
  }

  /** The session imported into and what the import did. */
  public record ImportResult(
      SessionView session,
      long imported,
      long duplicates,
      long evicted,
      int failed,
      List<HarImport.EntryError> errors) {}

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Operation(
      summary = "Import a HAR file as a session's entries",
      description =
          "multipart/form-data with the HAR in `file`; `sessionId` imports into an existing session"
              + " of the caller, else a new stopped session is made (named `name`, or after the file)."
              + " Entries that cannot be read are listed in `errors` with their index; the others are"
              + " imported; an entry larger than tapedeck.imports.max-entry-bytes is listed there too."
              + " A file that would take the session past tapedeck.imports.max-entries-per-session"
              + " entries is refused whole (409 entry_limit). 201 for a new session, 200 for an existing one.")
  public Response importHar(
      @RestForm("file") FileUpload file,
      @RestForm("sessionId") String sessionId,
      @RestForm("name") String name) {
    if (file == null || file.uploadedFile() == null) {
      throw ApiException.validation(List.of(new FieldError("file", "is required: the HAR file, as multipart form data")));
    }
    if (name != null && name.length() > 200) {
      throw ApiException.validation(List.of(new FieldError("name", "must be at most 200 characters")));
    }
    Session target = sessionId == null || sessionId.isBlank() ? null : sessions.get(caller.get(), sessionId.trim());
    checkQuota(target, file);
    HarImport.Opened har;
    try {
      har = importer.open(file.uploadedFile());
    } catch (BadHarException e) {
      throw new ApiException(400, "invalid_har", e.getMessage(), List.of(new FieldError("file", e.getMessage())));
    }
    try (har) {
      boolean created = target == null;
      if (created) {
        String sessionName = name == null || name.isBlank() ? defaultName(file.fileName()) : name.trim();
        target = sessions.createImported(caller.get(), sessionName);
      }
      HarImport.Outcome outcome = har.into(target.id());
      long count = entries.counts(List.of(target.id())).getOrDefault(target.id(), 0L);
      ImportResult result =
          new ImportResult(
              SessionView.of(target, count, retention.retainedUntil(target)),
              outcome.imported(),
              outcome.duplicates(),
              outcome.evicted(),
              outcome.failed(),
              outcome.errors());
      return Response.status(created ? 201 : 200).entity(result).build();
    }
  }

  /**
   * Refuses (409 entry_limit) a file whose entries would take the session past the entries it may
   * hold: storage would evict the oldest to make room, and those may be recorded ones. Counted in
   * a streaming pass before anything is imported, so a refused import changes nothing.
   */
  private void checkQuota(Session target, FileUpload file) {
    long incoming;
    try {
      incoming = importer.count(file.uploadedFile());
    } catch (BadHarException e) {
      throw new ApiException(400, "invalid_har", e.getMessage(), List.of(new FieldError("file", e.getMessage())));
    }
    long held = target == null ? 0 : entries.counts(List.of(target.id())).getOrDefault(target.id(), 0L);
    if (held + incoming > maxEntriesPerSession) {
      String message =
          "The file holds "
              + incoming
              + " entries"
              + (target == null ? "" : " and session " + target.id() + " holds " + held)
              + "; a session holds at most "
              + maxEntriesPerSession
              + " (tapedeck.imports.max-entries-per-session), and an import never evicts recorded"
              + " entries. Split the file, or import into a new session.";
      throw new ApiException(409, "entry_limit", message, List.of(new FieldError("file", message)));
    }
  }

  private static String defaultName(String fileName) {
    String base = fileName == null || fileName.isBlank() ? "import" : fileName.replaceFirst("\\.har$", "");
    return base.length() > 200 ? base.substring(0, 200) : base;
  }
}
