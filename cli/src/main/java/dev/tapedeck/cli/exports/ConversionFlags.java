package dev.tapedeck.cli.exports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.proto.converter.v1.ConversionOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The conversion options of {@code mockd convert}, shared by {@code export} (sent to the API as the
 * export body) and {@code convert} (handed to the converter's own option parser, offline): both
 * validate them the same way.
 */
public final class ConversionFlags {
  @Option(names = "--smart-match", description = "Ids, UUIDs and hashes in paths become parameters (/users/{id}).")
  boolean smartMatch;

  @Option(names = "--duplicates", paramLabel = "first|last|all", description = "Which recordings of the same request mocks keep (default first).")
  String duplicates;

  @Option(names = "--method", paramLabel = "METHOD", split = ",", description = "Only these methods: GET,POST.")
  List<String> methods = new ArrayList<>();

  @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "Only these statuses: 2xx,404.")
  List<String> statuses = new ArrayList<>();

  @Option(names = "--include-hosts", paramLabel = "GLOB", split = ",", description = "Only these hosts: *.example.com.")
  List<String> includeHosts = new ArrayList<>();

  @Option(names = "--path-filter", paramLabel = "GLOB", split = ",", description = "Only these paths: /api/*.")
  List<String> pathFilters = new ArrayList<>();

  @Option(names = "--no-redact", description = "Keep Authorization, cookies and API keys as recorded.")
  boolean noRedact;

  @Option(names = "--redact-json-path", paramLabel = "PATH", description = "Also redact this JSON path in bodies: $.password.")
  List<String> redactJsonPaths = new ArrayList<>();

  @Option(names = "--collection-name", paramLabel = "NAME", description = "The collection's or document's name.")
  String collectionName;

  @Option(names = "--base-url", paramLabel = "URL", description = "The base URL scripts and collections call.")
  String baseUrl;

  /** The options as fields of an export body ({@code POST /api/v1/recorder/{id}/export}). */
  public void addTo(ObjectNode body) {
    if (smartMatch) {
      body.put("smartMatch", true);
    }
    if (duplicates != null) {
      body.put("duplicates", duplicates);
    }
    array(body, "methods", methods);
    array(body, "statuses", statuses);
    array(body, "includeHosts", includeHosts);
    array(body, "pathFilters", pathFilters);
    if (noRedact) {
      body.put("noRedact", true);
    }
    array(body, "redactJsonPaths", redactJsonPaths);
    if (collectionName != null) {
      body.put("collectionName", collectionName);
    }
    if (baseUrl != null) {
      body.put("baseUrl", baseUrl);
    }
  }

  /** The options as the converter's contract carries them, for {@code convert}. */
  public ConversionOptions toProto() {
    ConversionOptions.Builder options =
        ConversionOptions.newBuilder()
            .setSmartMatch(smartMatch)
            .addAllMethods(methods)
            .addAllStatuses(statuses)
            .addAllIncludeHosts(includeHosts)
            .addAllPathFilters(pathFilters)
            .setNoRedact(noRedact)
            .addAllRedactJsonPaths(redactJsonPaths);
    if (duplicates != null) {
      options.setDuplicates(duplicates);
    }
    if (collectionName != null) {
      options.setCollectionName(collectionName);
    }
    if (baseUrl != null) {
      options.setBaseUrl(baseUrl);
    }
    return options.build();
  }

  private static void array(ObjectNode body, String field, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(body.putArray(field)::add);
    }
  }

  /** An empty set of flags (the defaults), for {@code run --export}. */
  public static ConversionFlags none() {
    return new ConversionFlags();
  }

  static ObjectNode emptyBody() {
    return Api.JSON.createObjectNode();
  }
}
