package dev.tapedeck.converter.export.mockd;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tapedeck.converter.export.CollectingWriter;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.Variance;
import dev.tapedeck.converter.export.mock.MockPlanner;
import dev.tapedeck.converter.export.mock.MockResponse;
import dev.tapedeck.converter.export.mock.MockStub;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes mocks as a mockd configuration file ({@code mockd serve --config mocks.yaml}): {@code
 * version: "1.0"} and {@code mocks}, each {@code type: http} with a {@code matcher} and a {@code
 * response}, as {@code mockd convert} writes them.
 *
 * <p>mockd matches query values and headers as exact strings or regexes, so a value that varied
 * across samples is {@code ".*"}; a JSON body is matched by {@code bodyJsonPath} on its leaves
 * (those that stayed constant, with smart matching), so whitespace and member order do not matter,
 * and other bodies by {@code bodyEquals}. mockd has no response sequences: a sequence's first
 * response is the enabled mock and the later ones follow, disabled, each saying which step it is,
 * so no recorded answer is lost.
 */
public final class MockdConfig {

  /** The media type of the file. */
  public static final String CONTENT_TYPE = "application/x-yaml";

  /** The file extension. */
  public static final String EXTENSION = ".mockd.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  // A string such as "1" must stay a string, not become a YAML number.
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                  .build())
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private final ConversionOptions options;

  public MockdConfig(ConversionOptions options) {
    this.options = options;
  }

  /** Starts writing the configuration for {@code exchanges}: one stub's mocks per piece. */
  public CollectingWriter.Rendering render(List<Exchange> exchanges, OutputStream out)
      throws IOException {
    List<MockStub> stubs = MockPlanner.plan(exchanges, options);
    JsonGenerator yaml = YAML.getFactory().createGenerator(out, JsonEncoding.UTF8);
    yaml.writeStartObject();
    yaml.writeStringField("version", "1.0");
    yaml.writeArrayFieldStart("mocks");
    int[] next = {0};
    return () -> {
      if (next[0] == stubs.size()) {
        yaml.writeEndArray();
        yaml.writeEndObject();
        yaml.flush();
        return true;
      }
      MockStub stub = stubs.get(next[0]++);
      for (int step = 0; step < stub.responses().size(); step++) {
        YAML.writeTree(yaml, mock(stub, next[0], step));
      }
      yaml.flush();
      return false;
    };
  }

  private static ObjectNode mock(MockStub stub, int number, int step) {
    ObjectNode mock = YAML.createObjectNode();
    mock.put("id", "tapedeck-" + number + (stub.isSequence() ? "-" + (step + 1) : ""));
    mock.put("name", stub.name());
    if (stub.isSequence()) {
      mock.put(
          "description",
          "Response "
              + (step + 1)
              + " of "
              + stub.responses().size()
              + " recorded for this request; mockd has no sequences, so only the first is"
              + " enabled.");
    }
    mock.put("type", "http");
    mock.put("enabled", step == 0);
    ObjectNode http = mock.putObject("http");
    // mockd tries higher priorities first; the plan's 1 is tried first.
    http.put("priority", 10 - stub.priority());
    http.set("matcher", matcher(stub));
    http.set("response", response(stub.responses().get(step)));
    return mock;
  }

  private static ObjectNode matcher(MockStub stub) {
    ObjectNode matcher = YAML.createObjectNode();
    matcher.put("method", stub.method());
    matcher.put("path", stub.path());
    if (!stub.headers().isEmpty()) {
      matcher.set("headers", values(stub.headers()));
    }
    if (!stub.query().isEmpty()) {
      matcher.set("queryParams", values(stub.query()));
    }
    MockStub.BodyMatch body = stub.body();
    if (body.json().isPresent()) {
      ObjectNode paths = matcher.putObject("bodyJsonPath");
      constantLeaves(body.json().get(), "$", paths);
    } else if (body.text().isPresent()) {
      matcher.put("bodyEquals", body.text().get());
    }
    return matcher;
  }

  private static ObjectNode values(Map<String, Optional<String>> values) {
    ObjectNode node = YAML.createObjectNode();
    // Repeated values were joined with NUL; mockd matches one value per name.
    values.forEach(
        (name, value) -> node.put(name, value.map(v -> v.split("\u0000")[0]).orElse(".*")));
    return node;
  }

  private static void constantLeaves(JsonNode json, String path, ObjectNode out) {
    if (json.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        String name = member.getKey();
        String child =
            name.matches("[A-Za-z_][A-Za-z0-9_]*")
                ? path + "." + name
                : path + "['" + name.replace("'", "\\'") + "']";
        constantLeaves(member.getValue(), child, out);
      }
    } else if (json.isArray()) {
      for (int i = 0; i < json.size(); i++) {
        constantLeaves(json.get(i), path + "[" + i + "]", out);
      }
    } else if (!(json.isTextual() && Variance.ANY.equals(json.textValue()))) {
      out.set(path, json);
    }
  }

  private static ObjectNode response(MockResponse recorded) {
    ObjectNode response = YAML.createObjectNode();
    response.put("statusCode", recorded.status());
    if (!recorded.headers().isEmpty()) {
      Map<String, String> names = new LinkedHashMap<>();
      Map<String, String> values = new LinkedHashMap<>();
      for (Header header : recorded.headers()) {
        String key = header.getName().toLowerCase(Locale.ROOT);
        names.putIfAbsent(key, header.getName());
        values.merge(key, header.getValue(), (a, b) -> a + ", " + b);
      }
      ObjectNode headers = response.putObject("headers");
      values.forEach((key, value) -> headers.put(names.get(key), value));
    }
    if (recorded.body().base64()) {
      // mockd bodies are text: a binary body is left out rather than corrupted.
      response.put("body", "");
    } else {
      response.put("body", recorded.body().text());
    }
    return response;
  }
}
