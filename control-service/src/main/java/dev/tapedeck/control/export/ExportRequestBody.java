package dev.tapedeck.control.export;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of the export endpoints ({@code /export}, {@code /export-perf}, {@code /export-test},
 * {@code /export-collection}): which entries (all when empty), which format, and the conversion
 * options of {@code mockd convert}, redaction and collections. Every field may be left out.
 */
@Schema(description = "What to export and how; every field is optional")
public record ExportRequestBody(
    @Schema(description = "Only these entries; all when empty") List<String> entryIds,
    @Schema(
            description = "File format of /export",
            enumeration = {"har", "wiremock", "mockd", "postman", "insomnia-v4", "insomnia-v5", "openapi"},
            defaultValue = "har")
        String format,
    @Schema(description = "Numeric ids, UUIDs, long hex and base64-like path segments become {parameters}")
        Boolean smartMatch,
    @Schema(description = "Several recordings of one request", enumeration = {"first", "last", "all"}, defaultValue = "first")
        String duplicates,
    @Schema(description = "Only these methods, e.g. [\"GET\",\"POST\"]") List<String> methods,
    @Schema(description = "Only these statuses: codes (\"404\") or classes (\"2xx\")") List<String> statuses,
    @Schema(description = "Only these hosts, globs allowed (\"*.example.com\")") List<String> includeHosts,
    @Schema(description = "Only paths matching one of these globs (\"/api/*\")") List<String> pathFilters,
    @Schema(description = "Keep Authorization, cookies and API keys as recorded (redacted by default)")
        Boolean noRedact,
    @Schema(description = "More JSON paths to redact in bodies, e.g. \"$.user.password\"") List<String> redactJsonPaths,
    @Schema(description = "Name of the collection or document; the session name by default") String collectionName,
    @Schema(description = "export-collection: what the collection is for", enumeration = {"http", "tests", "performance"})
        String protocol,
    @Schema(description = "Base URL scripts and collections call instead of the recorded one") String baseUrl,
    @Schema(description = "Accepted for compatibility with the reference; Tapedeck has no namespaces")
        String namespace) {

  /** An empty body: every entry, HAR, default options. */
  public static ExportRequestBody empty() {
    return new ExportRequestBody(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
