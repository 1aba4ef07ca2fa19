package dev.tapedeck.converter.export.script;

import static dev.tapedeck.converter.export.har.TestExchanges.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login flow exported as scripts: the token the login answer handed out is extracted into a
 * variable and the later requests send the variable, in k6, node:test and Postman, redaction on.
 */
class CorrelatedScriptsTest {
  private static final String TOKEN = "tok_5d1c9b7a3e2f4a6b8c0d";
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<StoredEntry> loginFlow() {
    Recordings r = new Recordings();
    r.add("POST", "/login", List.of(header("Content-Type", "application/json")), "{\"user\":\"ada\"}", 200,
        "{\"token\":\"" + TOKEN + "\",\"user\":{\"id\":\"u-77aa88\"}}");
    r.add("GET", "/users/u-77aa88", List.of(header("Authorization", "Bearer " + TOKEN)), "", 200, "{\"name\":\"Ada\"}");
    return r.entries();
  }

  @Test
  void nodeTestExtractsTheTokenAndSendsTheVariable(@TempDir Path dir) throws Exception {
    String script = Exports.export(ExportFormat.NODE_TEST, loginFlow(), ConversionOptions.defaults());
    assertThat(script)
        .contains("vars.token = pick(")
        .contains("\"path\":\"$.token\"")
        .contains("\"Authorization\":\"Bearer {{token}}\"")
        .contains("\"path\":\"/users/{{id}}\"")
        .doesNotContain(TOKEN);
    Path file = dir.resolve("flow.test.mjs");
    Files.writeString(file, script);
    NodeTools.Result check = NodeTools.run(List.of(NodeTools.node(), "--check", file.toString()), Map.of(), 60);
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void k6ScriptCarriesTheExtraction(@TempDir Path dir) throws Exception {
    String script = Exports.export(ExportFormat.K6, loginFlow(), ConversionOptions.defaults());
    assertThat(script).contains("vars.token = pick(").contains("Bearer {{token}}").contains("function fill(request)");
    Path file = dir.resolve("flow.k6.js");
    Files.writeString(file, script);
    NodeTools.Result check = NodeTools.run(List.of(NodeTools.node(), "--check", file.toString()), Map.of(), 60);
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void postmanSetsACollectionVariableAndUsesIt() throws Exception {
    JsonNode collection = JSON.readTree(Exports.export(ExportFormat.POSTMAN, loginFlow(), ConversionOptions.defaults()));
    JsonNode login = collection.get("item").get(0);
    assertThat(login.get("event").get(0).get("script").get("exec").toString())
        .contains("pm.collectionVariables.set(\\\"token\\\"");
    JsonNode me = collection.get("item").get(1).get("request");
    assertThat(me.get("header").get(0).get("value").asText()).isEqualTo("Bearer {{token}}");
    assertThat(me.get("url").get("raw").asText()).endsWith("/users/{{id}}");
  }

  @Test
  void withoutCorrelationsRequestsStayAsRecorded() {
    String script = Exports.export(ExportFormat.NODE_TEST, Recordings.shop(), ConversionOptions.defaults());
    assertThat(script).contains("\"Authorization\":\"Bearer REDACTED\"").doesNotContain("vars.");
  }
}
