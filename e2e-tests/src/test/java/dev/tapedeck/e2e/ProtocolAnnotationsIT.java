package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * GraphQL, SOAP and MCP traffic through a reverse session of the running system, to a real
 * upstream: the entries API shows each with its entry type and protocol annotation, search finds
 * them by type, and the HAR export carries the annotations.
 */
class ProtocolAnnotationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static final String GRAPHQL =
      "{\"query\":\"# the shelf\\nfragment T on Tape { id }\\nquery Shelf($n: Int) { shelf(first: $n) { ...T } }\\n"
          + "mutation AddTape { addTape { ...T } }\",\"operationName\":\"AddTape\",\"variables\":{\"n\":3}}";

  private static final String GET_QUOTE =
      """
      <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:stock">
        <soap:Body><m:GetQuote><m:Symbol>TAPE</m:Symbol></m:GetQuote></soap:Body>
      </soap:Envelope>
      """;

  private static final String FAULT =
      """
      <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
        <soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Unknown symbol TAPE</faultstring></soap:Fault></soap:Body>
      </soap:Envelope>
      """;

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"e2e\",\"version\":\"1\"}}}";

  private static final String TOOL_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":\"call-2\",\"method\":\"tools/call\",\"params\":{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}}";

  private static final String TOOL_RESULT = "{\"jsonrpc\":\"2.0\",\"id\":\"call-2\",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"4 C\"}]}}";

  @Test
  void graphqlSoapAndMcpExchangesAreRecordedWithTheirAnnotations() throws Exception {
    ApiClient api = ApiClient.admin(TapedeckSystem.shared());
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("POST", "/graphql", req -> UpstreamResponse.json(200, "{\"data\":{\"addTape\":{\"id\":\"t9\"}}}"))
            .route(
                "POST",
                "/stock",
                req -> UpstreamResponse.bytes(500, "text/xml; charset=utf-8", FAULT.getBytes(StandardCharsets.UTF_8)))
            .route(
                "POST",
                "/mcp",
                req ->
                    req.bodyText().contains("tools/call")
                        ? UpstreamResponse.bytes(
                            200, "text/event-stream", ("event: message\ndata: " + TOOL_RESULT + "\n\n").getBytes(StandardCharsets.UTF_8))
                        : UpstreamResponse.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\"}}")
                            .withHeader("Mcp-Session-Id", "e2e-session"))
            .route("POST", "/orders", req -> UpstreamResponse.json(201, "{\"query\":\"red shoes\"}"))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"name\":\"e2e-protocols\",\"targetUrl\":\"" + upstream.url() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      String proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();

      assertThat(post(proxy + "/graphql", "application/json", GRAPHQL).statusCode()).isEqualTo(200);
      HttpResponse<String> soap =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(proxy + "/stock"))
                  .header("Content-Type", "text/xml; charset=utf-8")
                  .header("SOAPAction", "\"urn:stock/GetQuote\"")
                  .POST(HttpRequest.BodyPublishers.ofString(GET_QUOTE))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(soap.statusCode()).isEqualTo(500);
      assertThat(post(proxy + "/mcp", "application/json", INITIALIZE).statusCode()).isEqualTo(200);
      HttpResponse<String> call = post(proxy + "/mcp", "application/json", TOOL_CALL);
      assertThat(call.body()).contains(TOOL_RESULT);
      assertThat(post(proxy + "/orders", "application/json", "{\"query\":\"red shoes\"}").statusCode()).isEqualTo(201);

      api.awaitEntryTotal(id, 5, Duration.ofSeconds(30));
      // One request after another, so the entries are in the order sent.
      JsonNode entries = api.call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("entries");

      JsonNode graphql = entries.get(0);
      assertThat(graphql.get("entryType").asText()).isEqualTo("http");
      assertThat(graphql.at("/graphqlInfo/operationName").asText()).isEqualTo("AddTape");
      assertThat(graphql.at("/graphqlInfo/operationType").asText()).isEqualTo("mutation");

      JsonNode stock = entries.get(1);
      assertThat(stock.get("entryType").asText()).isEqualTo("soap");
      assertThat(stock.at("/soapInfo/operation").asText()).isEqualTo("GetQuote");
      assertThat(stock.at("/soapInfo/soapAction").asText()).isEqualTo("urn:stock/GetQuote");
      assertThat(stock.at("/soapInfo/fault").asBoolean()).isTrue();
      assertThat(stock.at("/soapInfo/faultString").asText()).isEqualTo("Unknown symbol TAPE");

      JsonNode initialize = entries.get(2);
      assertThat(initialize.get("entryType").asText()).isEqualTo("mcp");
      assertThat(initialize.at("/mcpInfo/method").asText()).isEqualTo("initialize");
      assertThat(initialize.at("/mcpInfo/id").asText()).isEqualTo("1");
      JsonNode toolCall = entries.get(3);
      assertThat(toolCall.get("entryType").asText()).isEqualTo("mcp");
      assertThat(toolCall.at("/mcpInfo/method").asText()).isEqualTo("tools/call");
      assertThat(toolCall.at("/mcpInfo/id").asText()).isEqualTo("call-2");
      assertThat(toolCall.at("/frames/0/text").asText()).isEqualTo(TOOL_RESULT);

      JsonNode orders = entries.get(4);
      assertThat(orders.get("entryType").asText()).isEqualTo("http");
      assertThat(orders.has("graphqlInfo") || orders.has("mcpInfo") || orders.has("soapInfo")).isFalse();

      JsonNode found = api.call("GET", "/api/v1/recorder/search?sessionId=" + id + "&type=soap,mcp", null, 200);
      assertThat(found.get("total").asLong()).isEqualTo(3);

      String har = api.send("POST", "/api/v1/recorder/" + id + "/export", "{}").body();
      assertThat(HarSchema.validate(har)).isEmpty();
      String harText = JSON.readTree(har).at("/log/entries").toString();
      assertThat(harText)
          .contains("\"_graphql\":{\"operationName\":\"AddTape\",\"operationType\":\"mutation\"}")
          .contains("\"_soap\":{\"operation\":\"GetQuote\"")
          .contains("\"_mcp\":{\"method\":\"tools/call\",\"id\":\"call-2\"}");
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  private static HttpResponse<String> post(String url, String contentType, String body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
