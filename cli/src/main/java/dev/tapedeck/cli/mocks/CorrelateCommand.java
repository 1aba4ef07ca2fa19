package dev.tapedeck.cli.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tapedeck correlate SESSION}: {@code POST /api/v1/recorder/{id}/correlate}, the values that
 * flow from one entry's response into later requests. Needs a server that has the endpoint.
 */
@Command(name = "correlate", description = "Find values of responses that later requests send back (tokens, ids, CSRF values) (needs a server with the correlate endpoint).")
public final class CorrelateCommand extends ApiCommand {
  @Parameters(paramLabel = "SESSION", description = "The session id.")
  String id;

  @Option(names = "--min-len", paramLabel = "N", description = "Shortest value considered (minValueLength).")
  Integer minLength;

  @Option(names = "--exclude-numeric", description = "Skip values made of digits only (excludeNumeric).")
  boolean excludeNumeric;

  @Option(names = "--max-per-source", paramLabel = "N", description = "Most correlations per source (maxCorrelationsPerSource).")
  Integer maxPerSource;

  @Mixin JsonBody data;

  @Override
  public Integer call() {
    ObjectNode body = data.body();
    if (minLength != null) body.put("minValueLength", minLength);
    if (excludeNumeric) body.put("excludeNumeric", true);
    if (maxPerSource != null) body.put("maxCorrelationsPerSource", maxPerSource);
    JsonNode answer = api().post("/api/v1/recorder/" + Api.encode(id) + "/correlate", body);
    if (json() || !answer.path("correlations").isArray()) {
      printJson(answer);
      return 0;
    }
    Table table = new Table("TYPE", "SOURCE", "VALUE", "CONFIDENCE", "TARGETS");
    for (JsonNode c : answer.path("correlations")) {
      JsonNode source = c.path("source");
      String where = source.isObject() ? source.path("section").asText("") + (source.hasNonNull("name") ? " " + source.get("name").asText() : "") : source.asText();
      table.row(text(c, "valueType"), where, text(c, "value"), text(c, "confidence"), c.path("targets").size());
    }
    table.print(out());
    return 0;
  }
}
