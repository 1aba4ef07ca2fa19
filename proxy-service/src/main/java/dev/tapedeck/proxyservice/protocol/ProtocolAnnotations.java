package dev.tapedeck.proxyservice.protocol;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.GraphqlInfo;
import dev.tapedeck.proto.capture.v1.McpInfo;
import dev.tapedeck.proto.capture.v1.SoapInfo;
import org.jboss.logging.Logger;

/**
 * Tells which application protocol an HTTP exchange carried and annotates its entry:
 *
 * <ol>
 *   <li>MCP (JSON-RPC 2.0): entry type {@code mcp}, with the method and id ({@link
 *       McpRecognizer}); an MCP answer streamed as server-sent events keeps its frames;
 *   <li>SOAP 1.1 and 1.2: entry type {@code soap}, with the operation, action and fault ({@link
 *       SoapRecognizer});
 *   <li>GraphQL: the operation's name and type ({@link GraphqlRecognizer}); the entry type stays
 *       {@code http} (or {@code sse} for a subscription answered with events).
 * </ol>
 *
 * Only {@code http} and {@code sse} entries are looked at; WebSocket, gRPC and tunnel entries
 * have their own types. Recognition reads the captured bodies (content coding undone, at most
 * {@link Content#MAX_DECODED_BYTES} each) and never throws: a body it cannot read leaves the entry
 * as it was.
 */
public final class ProtocolAnnotations {
  private static final Logger LOG = Logger.getLogger(ProtocolAnnotations.class);

  private ProtocolAnnotations() {}

  /** Sets the entry type and protocol details of {@code exchange} from its captured messages. */
  public static void annotate(CapturedExchange.Builder exchange) {
    EntryType type = exchange.getEntryType();
    if (type != EntryType.HTTP && type != EntryType.SSE) {
      return;
    }
    try {
      CapturedRequest req = exchange.getRequest();
      String method = req.getMethod();
      Content request = new Content(req.getBody(), req.getHeadersList());
      Content response =
          exchange.hasResponse()
              ? new Content(exchange.getResponse().getBody(), exchange.getResponse().getHeadersList())
              : null;

      McpInfo mcp = McpRecognizer.recognize(method, request, exchange.getFramesList());
      if (mcp != null) {
        exchange.setEntryType(EntryType.MCP).setMcp(mcp);
        return;
      }
      SoapInfo soap = SoapRecognizer.recognize(method, request, response);
      if (soap != null) {
        exchange.setEntryType(EntryType.SOAP).setSoap(soap);
        return;
      }
      GraphqlInfo graphql = GraphqlRecognizer.recognize(method, req.getUrl(), request);
      if (graphql != null) {
        exchange.setGraphql(graphql);
      }
    } catch (RuntimeException e) {
      // Recognition is best effort; the exchange is recorded all the same.
      LOG.debugf(e, "Protocol recognition failed for %s", exchange.getRequest().getUrl());
    }
  }
}
