package dev.tapedeck.proxyservice.protocol;

import static dev.tapedeck.proxyservice.protocol.TestExchanges.annotated;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.request;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.respond;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.streamEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import org.junit.jupiter.api.Test;

/** MCP's JSON-RPC messages over streamable HTTP and SSE, recorded as mcp entries. */
class McpRecognizerTest {
  private static final String URL = "http://127.0.0.1:3000/mcp";
  private static final String ACCEPT = "application/json, text/event-stream";

  private static final String INITIALIZE =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
       "capabilities":{"roots":{"listChanged":true}},"clientInfo":{"name":"tapedeck-test","version":"1.0"}}}
      """;

  @Test
  void anInitializeRequestAnsweredWithJson() {
    CapturedExchange x =
        annotated(
            respond(
                request("POST", URL, "application/json", INITIALIZE, "Accept", ACCEPT),
                200,
                "application/json",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}"));

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEqualTo("initialize");
    assertThat(x.getMcp().getId()).isEqualTo("1");
  }

  @Test
  void aToolCallWhoseAnswerStreamsAsEventsStaysMcpWithItsFrames() {
    String call =
        "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}},\"id\":\"call-7\"}";
    CapturedExchange.Builder exchange =
        request("POST", URL, "application/json", call, "Accept", ACCEPT, "Mcp-Session-Id", "1868a90c");
    streamEvents(
        exchange,
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":50}}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"call-7\",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"4°C\"}]}}");

    CapturedExchange x = annotated(exchange);

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEqualTo("tools/call");
    assertThat(x.getMcp().getId()).isEqualTo("call-7");
    assertThat(x.getFramesCount()).isEqualTo(2);
  }

  @Test
  void aNotificationHasNoId() {
    CapturedExchange x =
        annotated(
            respond(
                request("POST", URL, "application/json", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                202,
                "",
                ""));

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEqualTo("notifications/initialized");
    assertThat(x.getMcp().getId()).isEmpty();
  }

  @Test
  void aBatchIsAnnotatedByItsFirstMessage() {
    String batch =
        "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/list\"}]";

    CapturedExchange x = annotated(request("POST", URL, "application/json", batch));

    assertThat(x.getMcp().getMethod()).isEqualTo("tools/list");
    assertThat(x.getMcp().getId()).isEqualTo("2");
  }

  @Test
  void theServersStreamOfASessionTakesItsFirstMessage() {
    CapturedExchange.Builder exchange = request("GET", URL, "", "", "Accept", "text/event-stream", "Mcp-Session-Id", "1868a90c");
    streamEvents(exchange, "{\"jsonrpc\":\"2.0\",\"id\":40,\"method\":\"roots/list\"}");

    CapturedExchange x = annotated(exchange);

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEqualTo("roots/list");
    assertThat(x.getMcp().getId()).isEqualTo("40");
  }

  @Test
  void theClientsAnswerToAServerRequestCountsInASession() {
    CapturedExchange x =
        annotated(
            request(
                "POST", URL, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":40,\"result\":{\"roots\":[]}}", "Mcp-Session-Id", "1868a90c"));

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEmpty();
    assertThat(x.getMcp().getId()).isEqualTo("40");
  }

  @Test
  void endingASessionIsMcpWithoutAMessage() {
    CapturedExchange x = annotated(request("DELETE", URL, "", "", "Mcp-Session-Id", "1868a90c"));

    assertThat(x.getEntryType()).isEqualTo(EntryType.MCP);
    assertThat(x.getMcp().getMethod()).isEmpty();
  }

  @Test
  void otherJsonRpcAndOtherJsonStayPlainHttp() {
    for (String body :
        new String[] {
          "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":83}",
          "{\"jsonrpc\":\"1.0\",\"method\":\"tools/list\",\"id\":1}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
          "{\"method\":\"tools/list\",\"id\":1}",
          "{\"order\":42}",
        }) {
      CapturedExchange x = annotated(request("POST", URL, "application/json", body));
      assertThat(x.getEntryType()).as(body).isEqualTo(EntryType.HTTP);
      assertThat(x.hasMcp()).as(body).isFalse();
    }
  }

  @Test
  void eventsThatAreNotJsonRpcStaySse() {
    CapturedExchange.Builder exchange = request("GET", "http://127.0.0.1:3000/prices", "", "");
    streamEvents(exchange, "{\"p\":10}", "tick");

    CapturedExchange x = annotated(exchange);

    assertThat(x.getEntryType()).isEqualTo(EntryType.SSE);
    assertThat(x.hasMcp()).isFalse();
  }

  @Test
  void webSocketEntriesAreLeftAlone() {
    CapturedExchange x = annotated(request("POST", URL, "application/json", INITIALIZE).setEntryType(EntryType.WEBSOCKET));

    assertThat(x.getEntryType()).isEqualTo(EntryType.WEBSOCKET);
    assertThat(x.hasMcp()).isFalse();
  }
}
