package dev.tapedeck.proxyservice.proxy.impl;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.CaptureLoss;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Flags;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.StreamPart;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.proxyservice.capture.EntryIds;
import dev.tapedeck.proxyservice.protocol.ProtocolAnnotations;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything recorded about one exchange while it passes: the request and response heads as
 * they were on the wire, bounded body captures, and the moments that make up the timings.
 * Used from the event loop of the exchange's connection only.
 *
 * <p>A stream's frames (WebSocket, SSE, gRPC) are held until they reach the part budget (half
 * the sink's record budget); then they go out as one part, an entry of their own linked to the
 * others by {@link StreamPart}, so a long stream costs at most one part of memory and no record
 * outgrows the broker's limit.
 */
final class ExchangeCapture {
  private final SessionSettings settings;
  private final String proxyId;
  private final long startedAtMicros = System.currentTimeMillis() * 1000;
  private final long startNanos = System.nanoTime();
  private final CapturedRequest.Builder request = CapturedRequest.newBuilder();
  private final BodyCapture requestBody;
  private final BodyCapture responseBody;
  private final CapturedExchange.Builder exchange = CapturedExchange.newBuilder();
  private CapturedResponse.Builder response;
  private MultiMap requestHeaders;
  private MultiMap responseHeaders;
  private long resolvingNanos = -1;
  private long resolvedNanos = -1;
  private long connectedNanos = -1;
  private boolean freshConnection;
  private long requestSentNanos = -1;
  private long responseHeadNanos = -1;
  private boolean completed;
  private CapturedRequest.Builder originalRequest;
  private MultiMap originalHeaders;
  private Buffer originalBody;
  private boolean modified;
  private List<String> toxics = List.of();

  ExchangeCapture(SessionSettings settings, String proxyId) {
    this(settings, proxyId, null, Integer.MAX_VALUE);
  }

  /**
   * @param parts where the parts of a long stream go as they fill; null to keep every frame in
   *     one entry (frames past {@link #MAX_FRAMES} are then counted, not kept)
   * @param recordBudget the most bytes one capture may serialize to
   */
  ExchangeCapture(SessionSettings settings, String proxyId, Consumer<CapturedExchange> parts, int recordBudget) {
    this.settings = settings;
    this.proxyId = proxyId;
    this.parts = parts;
    this.partBudget = Math.max(64 * 1024, recordBudget / 2);
    this.requestBody = new BodyCapture(settings.captureBodyLimitBytes());
    this.responseBody = new BodyCapture(settings.captureBodyLimitBytes());
  }

  void requestHead(
      String method, String url, HttpVersion version, MultiMap headers, String clientAddress) {
    requestHeaders = headers;
    request.setMethod(method).setUrl(url).setHttpVersion(versionName(version));
    request.addAllHeaders(headers(headers));
    exchange.setClientAddress(clientAddress == null ? "" : clientAddress);
    grpc = GrpcCapture.of(headers.get("Content-Type"), pathOf(url), limit());
    if (grpc != null) {
      entryType = EntryType.GRPC;
    }
  }

  /** The path of an absolute URL, without its query. */
  private static String pathOf(String url) {
    int scheme = url.indexOf("://");
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return slash < 0 ? "/" : HttpForwarder.pathOf(url.substring(slash));
  }

  private int limit() {
    return (int) Math.min(settings.captureBodyLimitBytes(), Integer.MAX_VALUE);
  }

  /** The request as the client sent it, when modification rules changed what went upstream. */
  void originalRequestHead(String method, String url, HttpVersion version, MultiMap headers) {
    originalHeaders = headers;
    originalRequest =
        CapturedRequest.newBuilder()
            .setMethod(method)
            .setUrl(url)
            .setHttpVersion(versionName(version))
            .addAllHeaders(headers(headers));
  }

  /** The Content-Length sent upstream after a body replacement changed the request body. */
  void requestContentLength(long length) {
    for (int i = 0; i < request.getHeadersCount(); i++) {
      if (request.getHeaders(i).getName().equalsIgnoreCase("Content-Length")) {
        request.setHeaders(i, Header.newBuilder().setName(request.getHeaders(i).getName()).setValue(String.valueOf(length)));
      }
    }
  }

  boolean hasOriginalRequest() {
    return originalRequest != null;
  }

  /** The request body as the client sent it, when a body replacement changed it. */
  void originalRequestBody(Buffer body) {
    originalBody = body;
  }

  /** Whether a modification rule changed the request or the response. */
  void modified(boolean changed) {
    modified = changed;
  }

  /** The toxics that touched the exchange. */
  void toxics(List<String> names) {
    toxics = names;
  }

  /** Frames of a stream kept so far (since the last part), and the frame cap per entry. */
  private final List<Frame> frames = new ArrayList<>();
  private final Consumer<CapturedExchange> parts;
  private final int partBudget;
  private long frameBytes;
  private String streamId;
  private int partsSent;
  private EntryType entryType = EntryType.HTTP;
  static final int MAX_FRAMES = 10_000;

  /** Marks the exchange as a WebSocket (or other stream) entry. */
  void entryType(EntryType type) {
    this.entryType = type;
  }

  /**
   * Records one frame with its time, direction and opcode; its data is kept up to the session's
   * capture limit (the size says how big it was), and frames past {@link #MAX_FRAMES} are counted
   * only in the error.
   */
  void frame(Direction direction, int opcode, Buffer data) {
    long limit = settings.captureBodyLimitBytes();
    boolean truncated = data.length() > limit;
    Buffer kept = truncated ? data.slice(0, (int) limit) : data;
    keep(
        Frame.newBuilder()
            .setDirection(direction)
            .setOpcode(opcode)
            .setData(ByteString.copyFrom(kept.getBytes()))
            .setSize(data.length())
            .setTruncated(truncated));
  }

  /**
   * Adds a frame stamped with the time now. When the frames held would pass the part budget or
   * the frame cap, those held go out first as a part; without a part consumer, frames past the
   * cap are counted only.
   */
  private void keep(Frame.Builder frame) {
    Frame built = frame.setTimeUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())).build();
    long size = built.getSerializedSize() + 8L;
    if (!frames.isEmpty() && (frames.size() >= MAX_FRAMES || frameBytes + size > partBudget)) {
      if (parts == null) {
        if (frames.size() >= MAX_FRAMES) {
          droppedFrames++;
          return;
        }
      } else {
        sendPart();
      }
    }
    frames.add(built);
    frameBytes += size;
  }

  /** Publishes the frames held as the stream's next part, with the heads known so far. */
  private void sendPart() {
    if (streamId == null) {
      streamId = EntryIds.next();
    }
    partsSent++;
    CapturedExchange.Builder part =
        CapturedExchange.newBuilder()
            .setEntryId(partsSent == 1 ? streamId : EntryIds.next())
            .setSessionId(settings.sessionId())
            .setEntryType(entryType)
            .setStartedAtUnixMicros(startedAtMicros)
            .setClientAddress(exchange.getClientAddress())
            .setServerAddress(exchange.getServerAddress())
            .setProxyId(proxyId)
            .setRequest(request.build())
            .addAllFrames(frames)
            .setTimings(timings(System.nanoTime()))
            .setStream(StreamPart.newBuilder().setStreamId(streamId).setPart(partsSent));
    if (response != null) {
      part.setResponse(response.build());
    }
    frames.clear();
    frameBytes = 0;
    parts.accept(part.build());
  }

  private long droppedFrames;

  void requestChunk(Buffer chunk) {
    requestBody.append(chunk);
    if (grpc != null) {
      grpc.requestChunk(chunk).forEach(this::keep);
    }
  }

  /** The upstream host name is being resolved. */
  void resolving() {
    resolvingNanos = System.nanoTime();
  }

  /** The upstream host name was resolved. */
  void resolved() {
    resolvedNanos = System.nanoTime();
  }

  /**
   * A connection was obtained: {@code fresh} when it was opened for this request, false when a
   * pooled one was reused (dns, connect and tls then did not happen for this request).
   */
  void connected(String serverAddress, boolean fresh) {
    connectedNanos = System.nanoTime();
    freshConnection = fresh;
    if (serverAddress != null) {
      exchange.setServerAddress(serverAddress);
    }
  }

  void requestSent() {
    requestSentNanos = System.nanoTime();
  }

  void responseHead(int status, String statusText, HttpVersion version, MultiMap headers) {
    responseHeadNanos = System.nanoTime();
    responseHeaders = headers;
    String type = headers.get("Content-Type");
    if (status / 100 == 2 && type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      // Server-sent events: each event is recorded as it passes, with its time.
      entryType = EntryType.SSE;
      sse = new SseEvents(limit());
    }
    response =
        CapturedResponse.newBuilder()
            .setStatusCode(status)
            .setStatusText(statusText == null ? "" : statusText)
            .setHttpVersion(versionName(version))
            .addAllHeaders(headers(headers));
  }

  void responseChunk(Buffer chunk) {
    responseBody.append(chunk);
    if (grpc != null) {
      grpc.responseChunk(chunk).forEach(this::keep);
    }
    if (sse != null) {
      for (SseEvents.Event event : sse.feed(chunk)) {
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
        keep(
            Frame.newBuilder()
                .setDirection(Direction.SERVER_TO_CLIENT)
                .setData(ByteString.copyFrom(data))
                .setSize(data.length)
                .setSseEvent(event.name())
                .setSseId(event.id()));
      }
    }
  }

  private SseEvents sse;
  private GrpcCapture grpc;
  private MultiMap responseTrailers;

  /** The upstream response's trailers (HTTP/1.1 chunked or HTTP/2), as forwarded to the client. */
  void responseTrailers(MultiMap trailers) {
    responseTrailers = trailers;
  }

  /**
   * The finished exchange ({@code error} is null when it completed normally), or null when it was
   * already completed, so that an exchange is published once however it ends.
   */
  CapturedExchange complete(String error) {
    if (completed) {
      return null;
    }
    completed = true;
    long end = System.nanoTime();
    request.setBody(
        requestBody.toBody(
            requestHeaders.get("Content-Type"), requestHeaders.get("Content-Encoding")));
    exchange
        .setEntryId(EntryIds.next())
        .setSessionId(settings.sessionId())
        .setEntryType(entryType)
        .addAllFrames(frames)
        .setStartedAtUnixMicros(startedAtMicros)
        .setProxyId(proxyId)
        .setRequest(request)
        .setTimings(timings(end));
    if (response != null) {
      response.setBody(
          responseBody.toBody(
              responseHeaders.get("Content-Type"), responseHeaders.get("Content-Encoding")));
      if (responseTrailers != null) {
        response.addAllTrailers(headers(responseTrailers));
      }
      exchange.setResponse(response);
    }
    if (grpc != null) {
      exchange.setGrpc(grpc.info(responseHeaders, responseTrailers));
    }
    if (streamId != null) {
      exchange.setStream(StreamPart.newBuilder().setStreamId(streamId).setPart(partsSent + 1).setLast(true));
    }
    if (error != null) {
      exchange.setError(error);
    } else if (droppedFrames > 0) {
      exchange.setError(droppedFrames + " frames beyond the first " + MAX_FRAMES + " were not recorded");
    }
    if (droppedFrames > 0) {
      exchange.setLoss(
          CaptureLoss.newBuilder()
              .setKind("frames")
              .setReason("frames beyond the first " + MAX_FRAMES + " of the entry were counted, not kept")
              .setFramesLost(droppedFrames));
    }
    if (modified || !toxics.isEmpty()) {
      exchange.setFlags(Flags.newBuilder().setModified(modified).addAllToxics(toxics));
    }
    if (modified) {
      if (originalRequest == null) {
        // Only the response changed: the request went upstream as the client sent it.
        exchange.setOriginalRequest(exchange.getRequest());
      } else {
        BodyCapture body = new BodyCapture(settings.captureBodyLimitBytes());
        if (originalBody != null) {
          body.append(originalBody);
          originalRequest.setBody(
              body.toBody(originalHeaders.get("Content-Type"), originalHeaders.get("Content-Encoding")));
        } else {
          originalRequest.setBody(exchange.getRequest().getBody());
        }
        exchange.setOriginalRequest(originalRequest);
      }
    }
    ProtocolAnnotations.annotate(exchange); // GraphQL, SOAP and MCP, told from the bodies
    return exchange.build();
  }

  /**
   * HAR-style phases of the upstream leg. dns is the lookup of the upstream name (through the
   * resolver's cache), connect the time from then until the connection was open, TLS handshake
   * included (HAR allows tls inside connect; Vert.x does not tell when the handshake began, so
   * tls stays -1). On a reused connection dns and connect are -1 (HAR: the phase did not happen).
   */
  private Timings timings(long end) {
    double dns = -1;
    double connect = -1;
    if (freshConnection) {
      boolean resolved = resolvingNanos >= 0 && resolvedNanos >= 0;
      dns = resolved ? ms(resolvedNanos - resolvingNanos) : -1;
      connect = ms(connectedNanos - (resolved ? resolvedNanos : startNanos));
    }
    double send = requestSentNanos < 0 || connectedNanos < 0 ? 0 : ms(requestSentNanos - connectedNanos);
    double wait =
        responseHeadNanos < 0 || requestSentNanos < 0 ? 0 : ms(responseHeadNanos - requestSentNanos);
    double receive = responseHeadNanos < 0 ? 0 : ms(end - responseHeadNanos);
    return Timings.newBuilder()
        .setDnsMs(dns)
        .setConnectMs(connect)
        .setTlsMs(-1)
        .setSendMs(Math.max(0, send))
        .setWaitMs(Math.max(0, wait))
        .setReceiveMs(receive)
        .setTotalMs(ms(end - startNanos))
        .build();
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static List<Header> headers(MultiMap headers) {
    List<Header> result = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      result.add(Header.newBuilder().setName(h.getKey()).setValue(h.getValue()).build());
    }
    return result;
  }

  static String versionName(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }
}
