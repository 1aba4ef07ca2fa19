package dev.tapedeck.control.entries;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** An entry as the API shows it; field names as in the Mockarty recorder API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryView(
    String id,
    String sessionId,
    long sequence,
    String entryType,
    String startedAt,
    double durationMs,
    Request request,
    Response response,
    TimingsView timings,
    TunnelView tunnel,
    List<String> tags,
    String notes,
    String error,
    String clientAddress,
    Boolean mapLocal,
    Boolean playbackMiss,
    Boolean modified,
    List<String> toxics,
    Boolean refused,
    List<String> rewriteSkipped,
    Request originalRequest,
    List<FrameView> frames,
    GraphqlInfoView graphqlInfo,
    GrpcView grpcInfo,
    SoapInfoView soapInfo,
    McpInfoView mcpInfo,
    StreamView stream,
    LossView loss) {

  /**
   * A stream recorded as several linked entries: the id all its parts share (the first part's
   * entry id), this part's number from 1, and whether it is the last.
   */
  public record StreamView(String streamId, int part, boolean last) {}

  /**
   * What the recording could not keep: {@code trimmed} (bodies or frames cut to fit the broker's
   * record limit), {@code stub} (only the heads kept), {@code frames} (frames past the cap counted).
   */
  public record LossView(String kind, String reason, long bytesLost, long framesLost) {}

  /** The request line, headers in captured order (duplicates kept) and body. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Request(
      String method, String url, String httpVersion, List<HeaderView> headers, BodyView body) {}

  /** The status line, headers and body. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Response(
      int statusCode,
      String statusText,
      String httpVersion,
      List<HeaderView> headers,
      BodyView body,
      List<HeaderView> trailers) {}

  /**
   * A gRPC call: the service and method its path named and the status the call ended with
   * (grpc-status, -1 when the upstream sent none, and grpc-message).
   */
  public record GrpcView(String service, String method, int statusCode, String statusMessage) {}

  /**
   * One frame of a WebSocket, one server-sent event or one gRPC message: when it passed, which way
   * ({@code send} from the client, {@code receive} from the server, as HAR's {@code
   * _webSocketMessages} say), its opcode (0 for events; for gRPC 1 when the message is
   * compressed), its data as text (text frames and events) or base64, its size, whether the
   * capture cut it, and an event's name and id.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FrameView(
      String time,
      String type,
      int opcode,
      String text,
      String base64,
      long size,
      boolean truncated,
      String event,
      String eventId) {
    /**
     * Events (of sse entries, and of MCP answers streamed as events) and WebSocket text frames
     * show as text, anything else as base64.
     */
    static FrameView of(Frame f, EntryType type) {
      boolean text =
          type == EntryType.SSE
              || type == EntryType.MCP
              || (type == EntryType.WEBSOCKET && f.getOpcode() == 1);
      return new FrameView(
          instant(f.getTimeUnixMicros()),
          f.getDirection() == Direction.CLIENT_TO_SERVER ? "send" : "receive",
          f.getOpcode(),
          text ? f.getData().toStringUtf8() : null,
          text ? null : Base64.getEncoder().encodeToString(f.getData().toByteArray()),
          f.getSize(),
          f.getTruncated(),
          f.getSseEvent().isEmpty() ? null : f.getSseEvent(),
          f.getSseId().isEmpty() ? null : f.getSseId());
    }
  }

  /** One header line. */
  public record HeaderView(String name, String value) {}

  /**
   * Upstream-leg timings in milliseconds; -1 where a phase did not happen. {@code totalMs} runs
   * from the proxy taking the request until the response ended, so it also holds what came before
   * the upstream leg (a HAR export's {@code blocked}).
   */
  public record TimingsView(
      double dnsMs,
      double connectMs,
      double tlsMs,
      double sendMs,
      double waitMs,
      double recvMs,
      double totalMs) {}

  /**
   * The GraphQL operation a request carried: its name (empty for an anonymous one) and type
   * ({@code query}, {@code mutation} or {@code subscription}; empty when only a persisted query's
   * name was sent).
   */
  public record GraphqlInfoView(String operationName, String operationType) {}


  /**
   * A SOAP exchange: the operation (first element of the request's Body), the action (SOAPAction
   * header or the {@code action} parameter of SOAP 1.2), and whether the response was a Fault
   * with its faultstring or reason.
   */
  public record SoapInfoView(String operation, String soapAction, boolean fault, String faultString) {}

  /** An MCP exchange: the JSON-RPC method and id (empty for a notification or when not shown). */
  public record McpInfoView(String method, String id) {}

  /** A relayed CONNECT tunnel: its target and the bytes passed each way (never decrypted). */
  public record TunnelView(
      String host, int port, long bytesClientToServer, long bytesServerToClient) {}

  /** A moment as the API shows it: ISO-8601 in UTC, from microseconds since the epoch. */
  public static String instant(long unixMicros) {
    return Instant.EPOCH.plus(unixMicros, ChronoUnit.MICROS).toString();
  }

  /** An entry type as the API names it: {@code http}, {@code websocket}, {@code grpc}... */
  public static String entryType(EntryType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  public static EntryView of(StoredEntry stored) {
    CapturedExchange x = stored.getExchange();
    Timings t = x.getTimings();
    return new EntryView(
        x.getEntryId(),
        x.getSessionId(),
        stored.getSequence(),
        entryType(x.getEntryType()),
        instant(x.getStartedAtUnixMicros()),
        t.getTotalMs(),
        new Request(
            x.getRequest().getMethod(),
            x.getRequest().getUrl(),
            x.getRequest().getHttpVersion(),
            headers(x.getRequest().getHeadersList()),
            BodyView.of(x.getRequest().getBody(), x.getRequest().getHeadersList())),
        x.hasResponse()
            ? new Response(
                x.getResponse().getStatusCode(),
                x.getResponse().getStatusText(),
                x.getResponse().getHttpVersion(),
                headers(x.getResponse().getHeadersList()),
                BodyView.of(x.getResponse().getBody(), x.getResponse().getHeadersList()),
                x.getResponse().getTrailersCount() == 0 ? null : headers(x.getResponse().getTrailersList()))
            : null,
        new TimingsView(
            t.getDnsMs(),
            t.getConnectMs(),
            t.getTlsMs(),
            t.getSendMs(),
            t.getWaitMs(),
            t.getReceiveMs(),
            t.getTotalMs()),
        x.hasTunnel()
            ? new TunnelView(
                x.getTunnel().getHost(),
                x.getTunnel().getPort(),
                x.getTunnel().getBytesClientToServer(),
                x.getTunnel().getBytesServerToClient())
            : null,
        stored.getTagsList(),
        stored.getNotes().isEmpty() ? null : stored.getNotes(),
        x.getError().isEmpty() ? null : x.getError(),
        x.getClientAddress().isEmpty() ? null : x.getClientAddress(),
        x.getFlags().getMapLocal() ? Boolean.TRUE : null,
        x.getFlags().getPlaybackMiss() ? Boolean.TRUE : null,
        x.getFlags().getModified() ? Boolean.TRUE : null,
        x.getFlags().getToxicsCount() == 0 ? null : x.getFlags().getToxicsList(),
        x.getFlags().getRefused() ? Boolean.TRUE : null,
        x.getFlags().getRewriteSkippedCount() == 0 ? null : x.getFlags().getRewriteSkippedList(),
        x.hasOriginalRequest() ? request(x.getOriginalRequest()) : null,
        x.getFramesCount() == 0 ? null : x.getFramesList().stream().map(f -> FrameView.of(f, x.getEntryType())).toList(),
        x.hasGraphql()
            ? new GraphqlInfoView(x.getGraphql().getOperationName(), x.getGraphql().getOperationType())
            : null,
        x.hasGrpc()
            ? new GrpcView(
                x.getGrpc().getService(),
                x.getGrpc().getMethod(),
                x.getGrpc().getStatusCode(),
                x.getGrpc().getStatusMessage().isEmpty() ? null : x.getGrpc().getStatusMessage())
            : null,
        x.hasSoap()
            ? new SoapInfoView(
                x.getSoap().getOperation(),
                x.getSoap().getSoapAction(),
                x.getSoap().getFault(),
                x.getSoap().getFaultString())
            : null,
        x.hasMcp() ? new McpInfoView(x.getMcp().getMethod(), x.getMcp().getId()) : null,
        x.hasStream()
            ? new StreamView(x.getStream().getStreamId(), x.getStream().getPart(), x.getStream().getLast())
            : null,
        x.hasLoss()
            ? new LossView(
                x.getLoss().getKind(), x.getLoss().getReason(), x.getLoss().getBytesLost(), x.getLoss().getFramesLost())
            : null);
  }

  private static Request request(dev.tapedeck.proto.capture.v1.CapturedRequest r) {
    return new Request(
        r.getMethod(), r.getUrl(), r.getHttpVersion(), headers(r.getHeadersList()), BodyView.of(r.getBody(), r.getHeadersList()));
  }

  private static List<HeaderView> headers(List<Header> headers) {
    return headers.stream().map(h -> new HeaderView(h.getName(), h.getValue())).toList();
  }
}
