package dev.tapedeck.proxyservice.protocol;

import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.McpInfo;
import java.util.List;
import java.util.Set;

/**
 * Recognises the Model Context Protocol over HTTP: JSON-RPC 2.0 messages in POST bodies
 * (streamable HTTP and the older HTTP+SSE transport), whose answer may be JSON or a stream of
 * server-sent events, and the GET and DELETE requests of an MCP session.
 *
 * <p>Plain JSON-RPC 2.0 is not enough, since other APIs speak it too (Ethereum nodes, for one). A
 * message counts as MCP when its method is one of MCP's ({@code initialize}, {@code ping}, or
 * under {@code tools/}, {@code resources/}, {@code prompts/}, {@code notifications/} and MCP's
 * other prefixes), or the request carries MCP's own headers ({@code Mcp-Session-Id}, {@code
 * MCP-Protocol-Version}). Without a message in the request, the first JSON-RPC message among the
 * first {@link #MAX_FRAMES} server-sent events (at most a mebibyte of them) gives the method and
 * id.
 */
final class McpRecognizer {
  /** The most events of a stream looked at for a JSON-RPC message. */
  static final int MAX_FRAMES = 16;

  private static final Set<String> FIELDS = Set.of("jsonrpc", "method", "id");
  private static final List<String> METHOD_PREFIXES =
      List.of(
          "notifications/",
          "tools/",
          "resources/",
          "prompts/",
          "completion/",
          "logging/",
          "sampling/",
          "roots/",
          "elicitation/");

  private McpRecognizer() {}

  /**
   * The MCP details of the exchange (method and id empty when no message shows them), or null when
   * it is not MCP.
   */
  static McpInfo recognize(String method, Content request, List<Frame> frames) {
    boolean mcpHeaders =
        request.header("Mcp-Session-Id") != null || request.header("MCP-Protocol-Version") != null;
    if (method.equals("POST") && request.hasBody() && request.jsonOrUntyped()) {
      McpInfo info = message(request.json(), mcpHeaders);
      if (info != null) {
        return info;
      }
    }
    long budget = Content.MAX_DECODED_BYTES;
    for (int i = 0; i < Math.min(frames.size(), MAX_FRAMES) && budget > 0; i++) {
      byte[] data = frames.get(i).getData().toByteArray();
      budget -= data.length;
      McpInfo info =
          startsLikeJson(data) ? message(JsonMessage.read(data, FIELDS), mcpHeaders) : null;
      if (info != null) {
        return info;
      }
    }
    return mcpHeaders ? McpInfo.getDefaultInstance() : null;
  }

  /**
   * The method and id of {@code message} (a JSON-RPC message, or the first of a batch) when it is
   * MCP's, else null.
   *
   * @param mcpHeaders whether the request carried MCP's headers, so any JSON-RPC 2.0 message counts
   */
  private static McpInfo message(JsonMessage message, boolean mcpHeaders) {
    if (message == null || !"2.0".equals(message.string("jsonrpc"))) {
      return null;
    }
    String method = message.string("method");
    String id = message.scalar("id");
    if (method == null && (!mcpHeaders || id == null)) {
      return null; // a response or an unfinished message, and nothing else says MCP
    }
    if (method != null && !mcpHeaders && !isMcpMethod(method)) {
      return null;
    }
    return McpInfo.newBuilder()
        .setMethod(method == null ? "" : method)
        .setId(id == null ? "" : id)
        .build();
  }

  private static boolean startsLikeJson(byte[] data) {
    for (byte b : data) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{' || b == '[';
      }
    }
    return false;
  }

  static boolean isMcpMethod(String method) {
    if (method.equals("initialize") || method.equals("ping")) {
      return true;
    }
    for (String prefix : METHOD_PREFIXES) {
      if (method.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
