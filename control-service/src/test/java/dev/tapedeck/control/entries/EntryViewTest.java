package dev.tapedeck.control.entries;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.GraphqlInfo;
import dev.tapedeck.proto.capture.v1.GrpcInfo;
import dev.tapedeck.proto.capture.v1.McpInfo;
import dev.tapedeck.proto.capture.v1.SoapInfo;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import org.junit.jupiter.api.Test;

/** Protocol annotations appear under the reference's names, and only on entries that have them. */
class EntryViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode view(CapturedExchange.Builder exchange) {
    CapturedExchange x =
        exchange
            .setEntryId("e-1")
            .setSessionId("s-1")
            .setRequest(CapturedRequest.newBuilder().setMethod("POST").setUrl("http://127.0.0.1/x"))
            .build();
    return JSON.valueToTree(EntryView.of(StoredEntry.newBuilder().setExchange(x).setSequence(1).build()));
  }

  @Test
  void showsGraphqlInfoOnAnHttpEntry() {
    JsonNode entry =
        view(
            CapturedExchange.newBuilder()
                .setEntryType(EntryType.HTTP)
                .setGraphql(GraphqlInfo.newBuilder().setOperationName("Shelf").setOperationType("query")));

    assertThat(entry.get("entryType").asText()).isEqualTo("http");
    assertThat(entry.get("graphqlInfo").toString()).isEqualTo("{\"operationName\":\"Shelf\",\"operationType\":\"query\"}");
    assertThat(entry.has("soapInfo")).isFalse();
    assertThat(entry.has("mcpInfo")).isFalse();
    assertThat(entry.has("grpcInfo")).isFalse();
  }

  @Test
  void showsSoapAndGrpcInfo() {
    JsonNode soap =
        view(
            CapturedExchange.newBuilder()
                .setEntryType(EntryType.SOAP)
                .setSoap(SoapInfo.newBuilder().setOperation("GetQuote").setSoapAction("urn:q").setFault(true).setFaultString("no")));
    assertThat(soap.get("entryType").asText()).isEqualTo("soap");
    assertThat(soap.get("soapInfo").toString())
        .isEqualTo("{\"operation\":\"GetQuote\",\"soapAction\":\"urn:q\",\"fault\":true,\"faultString\":\"no\"}");

    JsonNode grpc =
        view(
            CapturedExchange.newBuilder()
                .setEntryType(EntryType.GRPC)
                .setGrpc(GrpcInfo.newBuilder().setService("shop.Cart").setMethod("Add").setStatusCode(5).setStatusMessage("gone")));
    assertThat(grpc.get("grpcInfo").toString())
        .isEqualTo("{\"service\":\"shop.Cart\",\"method\":\"Add\",\"statusCode\":5,\"statusMessage\":\"gone\"}");
  }

  @Test
  void anMcpEntryStreamedAsEventsShowsItsEventsAsText() {
    JsonNode entry =
        view(
            CapturedExchange.newBuilder()
                .setEntryType(EntryType.MCP)
                .setMcp(McpInfo.newBuilder().setMethod("tools/call").setId("7"))
                .addFrames(
                    Frame.newBuilder()
                        .setDirection(Direction.SERVER_TO_CLIENT)
                        .setData(ByteString.copyFromUtf8("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"))
                        .setSseEvent("message")));

    assertThat(entry.get("entryType").asText()).isEqualTo("mcp");
    assertThat(entry.get("mcpInfo").toString()).isEqualTo("{\"method\":\"tools/call\",\"id\":\"7\"}");
    assertThat(entry.at("/frames/0/text").asText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}");
    assertThat(entry.at("/frames/0/event").asText()).isEqualTo("message");
  }

  @Test
  void saysWhichBodyRewritesWereSkippedAndWhy() {
    JsonNode skipped =
        view(
            CapturedExchange.newBuilder()
                .setEntryType(EntryType.HTTP)
                .setFlags(
                    dev.tapedeck.proto.capture.v1.Flags.newBuilder()
                        .addRewriteSkipped("response body over the rewrite limit of 1048576 bytes; passed unchanged")));
    assertThat(skipped.get("rewriteSkipped").toString())
        .isEqualTo("[\"response body over the rewrite limit of 1048576 bytes; passed unchanged\"]");
    assertThat(view(CapturedExchange.newBuilder().setEntryType(EntryType.HTTP)).has("rewriteSkipped")).isFalse();
  }
}
