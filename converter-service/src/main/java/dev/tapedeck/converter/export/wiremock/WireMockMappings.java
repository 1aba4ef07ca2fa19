package dev.tapedeck.converter.export.wiremock;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.converter.export.CollectingWriter;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.mock.MockPlanner;
import dev.tapedeck.converter.export.mock.MockResponse;
import dev.tapedeck.converter.export.mock.MockStub;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes mocks as a WireMock 3 stub mappings file, {@code {"mappings": [...]}}, which WireMock
 * loads as it is from its {@code mappings/} folder or through {@code POST
 * /__admin/mappings/import}.
 *
 * <p>A sequence of responses becomes a scenario: one mapping per response, each requiring the state
 * the previous one set; the last one sets no state, so it keeps answering.
 */
public final class WireMockMappings {

  /** The media type of the file. */
  public static final String CONTENT_TYPE = "application/json";

  /** The file extension. */
  public static final String EXTENSION = ".wiremock.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // The export's stream outlives the document.
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  private static final String STARTED = "Started";

  private final ConversionOptions options;

  public WireMockMappings(ConversionOptions options) {
    this.options = options;
  }

  /** Starts writing the mappings for {@code exchanges}: one stub's mappings per piece. */
  public CollectingWriter.Rendering render(List<Exchange> exchanges, OutputStream out)
      throws IOException {
    List<MockStub> stubs = MockPlanner.plan(exchanges, options);
    JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
    json.useDefaultPrettyPrinter();
    json.writeStartObject();
    json.writeArrayFieldStart("mappings");
    int[] next = {0};
    return () -> {
      if (next[0] == stubs.size()) {
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        return true;
      }
      MockStub stub = stubs.get(next[0]++);
      for (int step = 0; step < stub.responses().size(); step++) {
        JSON.writeTree(json, mapping(stub, next[0], step));
      }
      json.flush();
      return false;
    };
  }

  /** The mapping of {@code stub}'s response {@code step}; {@code number} makes ids unique. */
  private static ObjectNode mapping(MockStub stub, int number, int step) {
    MockResponse response = stub.responses().get(step);
    ObjectNode mapping = JSON.createObjectNode();
    String identity = number + "#" + step + "#" + stub.name();
    mapping.put("id", UUID.nameUUIDFromBytes(bytes(identity)).toString());
    mapping.put("name", stub.name());
    mapping.put("priority", stub.priority());
    mapping.set("request", request(stub));
    mapping.set("response", response(response));
    if (stub.isSequence()) {
      mapping.put("scenarioName", "#" + number + " " + stub.name());
      mapping.put("requiredScenarioState", step == 0 ? STARTED : "response " + (step + 1));
      if (step < stub.responses().size() - 1) {
        mapping.put("newScenarioState", "response " + (step + 2));
      }
    }
    mapping.putObject("metadata").put("tapedeckEntryId", response.entryId());
    return mapping;
  }

  private static ObjectNode request(MockStub stub) {
    ObjectNode request = JSON.createObjectNode();
    request.put("method", stub.method());
    request.put(stub.templated() ? "urlPathTemplate" : "urlPath", stub.path());
    if (!stub.query().isEmpty()) {
      ObjectNode query = request.putObject("queryParameters");
      stub.query().forEach((name, value) -> query.set(name, valueMatcher(value)));
    }
    if (!stub.headers().isEmpty()) {
      ObjectNode headers = request.putObject("headers");
      stub.headers().forEach((name, value) -> headers.set(name, valueMatcher(value)));
    }
    MockStub.BodyMatch body = stub.body();
    if (body.isPresent()) {
      ObjectNode pattern = request.putArray("bodyPatterns").addObject();
      if (body.json().isPresent()) {
        pattern.set("equalToJson", body.json().get());
        if (body.ignoreExtraMembers()) {
          pattern.put("ignoreExtraElements", true);
        }
      } else if (body.text().isPresent()) {
        pattern.put("equalTo", body.text().get());
      } else {
        pattern.put("binaryEqualTo", body.base64().get());
      }
    }
    return request;
  }

  private static ObjectNode valueMatcher(Optional<String> value) {
    ObjectNode matcher = JSON.createObjectNode();
    if (value.isEmpty()) {
      matcher.put("matches", ".*");
      return matcher;
    }
    String[] values = value.get().split("\u0000", -1);
    if (values.length == 1) {
      matcher.put("equalTo", values[0]);
    } else {
      ArrayNode exactly = matcher.putArray("hasExactly");
      for (String v : values) {
        exactly.addObject().put("equalTo", v);
      }
    }
    return matcher;
  }

  private static ObjectNode response(MockResponse recorded) {
    ObjectNode response = JSON.createObjectNode();
    response.put("status", recorded.status());
    if (!recorded.headers().isEmpty()) {
      response.set("headers", headers(recorded.headers()));
    }
    if (!recorded.body().isEmpty()) {
      response.put(recorded.body().base64() ? "base64Body" : "body", recorded.body().text());
    }
    return response;
  }

  /** Headers by name; a name given several times (Set-Cookie) gets an array of its values. */
  private static ObjectNode headers(List<Header> recorded) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, ArrayNode> values = new LinkedHashMap<>();
    for (Header header : recorded) {
      String key = header.getName().toLowerCase(Locale.ROOT);
      names.putIfAbsent(key, header.getName());
      values.computeIfAbsent(key, k -> JSON.createArrayNode()).add(header.getValue());
    }
    ObjectNode headers = JSON.createObjectNode();
    values.forEach((key, v) -> headers.set(names.get(key), v.size() == 1 ? v.get(0) : v));
    return headers;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
