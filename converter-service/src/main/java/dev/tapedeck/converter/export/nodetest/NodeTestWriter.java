package dev.tapedeck.converter.export.nodetest;

import dev.tapedeck.converter.export.script.RequestDocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.script.Origins;
import dev.tapedeck.converter.export.script.ScriptJson;
import dev.tapedeck.converter.export.script.ScriptRequests;
import dev.tapedeck.converter.export.script.Extractions;
import dev.tapedeck.correlation.Correlation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Writes {@code export-test}: an ES module for Node's own test runner ({@code node --test}) and
 * {@code fetch}. One test per recorded request, in the recorded order (node:test runs top-level
 * tests one after another), asserting the status and, for JSON, the body's shape: types, and the
 * members every recorded body had. Hosts are variables ({@code BASE_URL}, ...) read from the
 * environment, defaulting to the recorded origins or the {@code base_url} option.
 *
 * <p>Each test is written as its entry arrives; the origins table comes last, in a function
 * declaration, which JavaScript hoists.
 */
public final class NodeTestWriter extends RequestDocumentWriter<Writer> {

  /** The media type of the script. */
  public static final String CONTENT_TYPE = "text/javascript";

  /** The file extension: an ES module, whatever the project's package.json says. */
  public static final String EXTENSION = ".test.mjs";

  private static final String HELPERS =
      """

      // The hosts the requests go to: set an environment variable to point a host elsewhere.
      function origins() {
        return {
      %s  };
      }

      async function send(request) {
        request = fill(request);
        const body =
          request.body === null
            ? undefined
            : request.base64
              ? Buffer.from(request.body, "base64")
              : request.body;
        return fetch(origins()[request.origin] + request.path, {
          method: request.method,
          headers: request.headers,
          body,
          redirect: "manual",
        });
      }

      async function expectResponse(response, expected) {
        assert.equal(response.status, expected.status, `status of ${response.url}`);
        const text = await response.text();
        if (expected.schema !== null) {
          let body;
          try {
            body = JSON.parse(text);
          } catch (e) {
            assert.fail(`expected a JSON body, got: ${text.slice(0, 200)}`);
          }
          assertShape(body, expected.schema, "$");
        }
        return text;
      }

      // Checks types and required members, as the recorded body had them.
      function assertShape(value, schema, at) {
        const types = [].concat(schema.type ?? []);
        if (types.length > 0) {
          const actual =
            value === null
              ? "null"
              : Array.isArray(value)
                ? "array"
                : Number.isInteger(value)
                  ? "integer"
                  : typeof value;
          const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
          assert.ok(ok, `${at}: expected ${types.join(" or ")}, got ${actual}`);
        }
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          for (const name of schema.required ?? []) {
            assert.ok(name in value, `${at}: missing member "${name}"`);
          }
          for (const [name, member] of Object.entries(schema.properties ?? {})) {
            if (name in value) {
              assertShape(value[name], member, `${at}.${name}`);
            }
          }
        }
        if (Array.isArray(value) && schema.items) {
          value.forEach((item, i) => assertShape(item, schema.items, `${at}[${i}]`));
        }
      }
      """;

  private static final String SET_COOKIE =
      """

      function setCookie(response, name) {
        for (const line of response.headers.getSetCookie()) {
          const pair = line.split(";")[0];
          const equals = pair.indexOf("=");
          if (equals > 0 && pair.slice(0, equals).trim() === name) {
            return pair.slice(equals + 1).trim();
          }
        }
        return undefined;
      }
      """;

  private int tests;

  public NodeTestWriter(OutputStream out, ExportSession session, ConversionOptions options) {
    super(session, options, Origins.environmentVariables(options.baseUrl()), text(out));
  }

  @Override
  protected void writeRequest(Exchange e) throws IOException {
    tests++;
    String variable = origins.variableFor(e.url().origin());
    out.write(
        "\ntest(" + ScriptJson.literal(tests + " " + ScriptRequests.name(e)) + ", async () => {\n");
    ObjectNode request = ScriptJson.request(e, variable);
    correlations.template(request, e.entryId());
    out.write("  const response = await send(" + ScriptJson.literal(request) + ");\n");
    out.write(
        "  const text = await expectResponse(response, " + ScriptJson.literal(ScriptJson.expected(e)) + ");\n");
    for (Correlation c : correlations.extractedBy(e.entryId())) {
      out.write(
          "  vars." + c.variable() + " = pick((name) => response.headers.get(name), (name) => setCookie(response, name), text, "
              + Extractions.source(c) + ");\n");
    }
    out.write("});\n");
  }

  @Override
  protected void writeHead() throws IOException {
    out.write(
        "// "
            + options.nameOr(session.title()).replaceAll("\\R", " ")
            + ": tests generated by Tapedeck "
            + session.creatorVersion()
            + " from session "
            + session.sessionId()
            + ".\n");
    out.write(
        "// Run with Node.js 20 or later:  BASE_URL=http://localhost:8080 node --test <this"
            + " file>\n");
    out.write(
        "// Each test replays one recorded request, in the recorded order, and checks the"
            + " status\n");
    out.write("// and, for JSON, the shape of the body.\n");
    out.write("import { test } from \"node:test\";\n");
    out.write("import assert from \"node:assert/strict\";\n");
    out.write("\n// Values earlier answers handed out that later requests send (a login token, a created id).\n");
    out.write("const vars = {};\n");
  }

  @Override
  protected void writeTail() throws IOException {
    out.write(HELPERS.formatted(origins.envTable("process.env.", "??")));
    out.write(Extractions.HELPERS);
    out.write(SET_COOKIE);
  }
}
