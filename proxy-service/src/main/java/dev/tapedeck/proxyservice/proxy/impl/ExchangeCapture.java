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
import dev.tapedeck.proxyservice.capture.EntryIds;
import dev.tapedeck.proxyservice.protocol.ProtocolAnnotations;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything recorded about one HTTP or WebSocket exchange while it passes: the request and
 * response heads as they were on the wire, bounded body captures, and its parts: the moments that
 * make up the timings ({@link ExchangeTimings}), the frames of a stream ({@link FrameLog}), and the
 * request as the client sent it when rules changed it ({@link OriginalRequest}). {@link
 * ProxyExchange#finish} completes it, once. Used from the event loop of the exchange's connection
 * only.
 */
final class ExchangeCapture {
  private final SessionSettings settings;
  private final String proxyId;
  private final long startedAtMicros = System.currentTimeMillis() * 1000;
  private final ExchangeTimings timings = new ExchangeTimings();
  private final FrameLog frames;
  private final CapturedRequest.Builder request = CapturedRequest.newBuilder();
  private final BodyCapture requestBody;
  private final BodyCapture responseBody;
  private final CapturedExchange.Builder exchange = CapturedExchange.newBuilder();
  private CapturedResponse.Builder response;
  private MultiMap requestHeaders;
  private MultiMap responseHeaders;
  private MultiMap responseTrailers;
  private OriginalRequest originalRequest;
  private EntryType entryType = EntryType.HTTP;
  private SseEvents sse;
  private GrpcCapture grpc;
  private boolean modified;
  private boolean completed;

  ExchangeCapture(SessionSettings settings, String proxyId) {
    this(settings, proxyId, null, Integer.MAX_VALUE);
  }

  /**
   * @param parts where the parts of a long stream go as they fill; null to keep every frame in
   *     one entry (frames past {@link FrameLog#MAX_FRAMES} are then counted, not kept)
   * @param recordBudget the most bytes one capture may serialize to
   */
  ExchangeCapture(SessionSettings settings, String proxyId, Consumer<CapturedExchange> parts, int recordBudget) {
    this.settings = settings;
    this.proxyId = proxyId;
    this.frames = new FrameLog(parts, this::partHead, recordBudget);
    this.requestBody = new BodyCapture(settings.captureBodyLimitBytes());
    this.responseBody = new BodyCapture(settings.captureBodyLimitBytes());
  }

  void requestHead(String method, String url, HttpVersion version, MultiMap headers, String clientAddress) {
    requestHeaders = headers;
    request.setMethod(method).setUrl(url).setHttpVersion(versionName(version));
    request.addAllHeaders(headers(headers));
    requestBody.expect(headers.get("Content-Length"));
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
    originalRequest = new OriginalRequest(method, url, version, headers);
  }

  boolean hasOriginalRequest() {
    return originalRequest != null;
  }

  /** The request body as the client sent it, when a body replacement changed it. */
  void originalRequestBody(Buffer body) {
    originalRequest.body(body);
  }

  /** The Content-Length sent upstream after a body replacement changed the request body. */
  void requestContentLength(long length) {
    for (int i = 0; i < request.getHeadersCount(); i++) {
      if (request.getHeaders(i).getName().equalsIgnoreCase("Content-Length")) {
        request.setHeaders(i, Header.newBuilder().setName(request.getHeaders(i).getName()).setValue(String.valueOf(length)));
      }
    }
  }

  /** Whether a modification rule changed the request or the response. */
  void modified(boolean changed) {
    modified = changed;
  }

  /** Marks the exchange as a WebSocket (or other stream) entry. */
  void entryType(EntryType type) {
    this.entryType = type;
  }

  /**
   * Records one frame with its time, direction and opcode; its data is kept up to the session's
   * capture limit (the size says how big it was).
   */
  void frame(Direction direction, int opcode, Buffer data) {
    long limit = settings.captureBodyLimitBytes();
    boolean truncated = data.length() > limit;
    Buffer kept = truncated ? data.slice(0, (int) limit) : data;
    frames.add(
        Frame.newBuilder()
            .setDirection(direction)
            .setOpcode(opcode)
            .setData(ByteString.copyFrom(kept.getBytes()))
            .setSize(data.length())
            .setTruncated(truncated));
  }

  /** A stream part's entry as known so far: the heads and timings, without frames or id. */
  private CapturedExchange.Builder partHead() {
    CapturedExchange.Builder part =
        CapturedExchange.newBuilder()
            .setSessionId(settings.sessionId())
            .setEntryType(entryType)
            .setStartedAtUnixMicros(startedAtMicros)
            .setClientAddress(exchange.getClientAddress())
            .setServerAddress(exchange.getServerAddress())
            .setProxyId(proxyId)
            .setRequest(request.build())
            .setTimings(timings.at(System.nanoTime()));
    if (response != null) {
      part.setResponse(response.build());
    }
    return part;
  }

  /** A chunk of the request body, copied. */
  void requestChunk(Buffer chunk) {
    requestBody.append(chunk);
    requestParts(chunk);
  }

  /** A chunk of the request body as Vert.x read it from the client, kept as it is ({@link BodyCapture#adopt}). */
  void requestRead(Buffer chunk) {
    requestBody.adopt(chunk);
    requestParts(chunk);
  }

  private void requestParts(Buffer chunk) {
    if (grpc != null) {
      grpc.requestChunk(chunk).forEach(frames::add);
    }
  }

  /** The upstream host name is being resolved. */
  void resolving() {
    timings.resolving();
  }

  /** The upstream host name was resolved. */
  void resolved() {
    timings.resolved();
  }

  /**
   * A connection was obtained: {@code fresh} when it was opened for this request, false when a
   * pooled one was reused (dns, connect and tls then did not happen for this request).
   */
  void connected(String serverAddress, boolean fresh) {
    timings.connected(fresh);
    if (serverAddress != null) {
      exchange.setServerAddress(serverAddress);
    }
  }

  void requestSent() {
    timings.requestSent();
  }

  void responseHead(int status, String statusText, HttpVersion version, MultiMap headers) {
    timings.responseHead();
    responseHeaders = headers;
    responseBody.expect(headers.get("Content-Length"));
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

  /** A chunk of the response body, copied. */
  void responseChunk(Buffer chunk) {
    responseBody.append(chunk);
    responseParts(chunk);
  }

  /** A chunk of the response body as Vert.x read it from the upstream, kept as it is ({@link BodyCapture#adopt}). */
  void responseRead(Buffer chunk) {
    responseBody.adopt(chunk);
    responseParts(chunk);
  }

  private void responseParts(Buffer chunk) {
    if (grpc != null) {
      grpc.responseChunk(chunk).forEach(frames::add);
    }
    if (sse != null) {
      for (SseEvents.Event event : sse.feed(chunk)) {
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
        frames.add(
            Frame.newBuilder()
                .setDirection(Direction.SERVER_TO_CLIENT)
                .setData(ByteString.copyFrom(data))
                .setSize(data.length)
                .setSseEvent(event.name())
                .setSseId(event.id()));
      }
    }
  }

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
    request.setBody(requestBody.toBody(requestHeaders.get("Content-Type"), requestHeaders.get("Content-Encoding")));
    exchange
        .setEntryId(EntryIds.next())
        .setSessionId(settings.sessionId())
        .setEntryType(entryType)
        .addAllFrames(frames.frames())
        .setStartedAtUnixMicros(startedAtMicros)
        .setProxyId(proxyId)
        .setRequest(request)
        .setTimings(timings.at(System.nanoTime()));
    if (response != null) {
      response.setBody(
          responseBody.toBody(responseHeaders.get("Content-Type"), responseHeaders.get("Content-Encoding")));
      if (responseTrailers != null) {
        response.addAllTrailers(headers(responseTrailers));
      }
      exchange.setResponse(response);
    }
    if (grpc != null) {
      exchange.setGrpc(grpc.info(responseHeaders, responseTrailers));
    }
    StreamPart last = frames.lastPart();
    if (last != null) {
      exchange.setStream(last);
    }
    long dropped = frames.dropped();
    if (error != null) {
      exchange.setError(error);
    } else if (dropped > 0) {
      exchange.setError(dropped + " frames beyond the first " + FrameLog.MAX_FRAMES + " were not recorded");
    }
    if (dropped > 0) {
      exchange.setLoss(
          CaptureLoss.newBuilder()
              .setKind("frames")
              .setReason("frames beyond the first " + FrameLog.MAX_FRAMES + " of the entry were counted, not kept")
              .setFramesLost(dropped));
    }
    if (modified) {
      exchange.setFlags(Flags.newBuilder().setModified(true));
      // Only the response changed: the request went upstream as the client sent it.
      exchange.setOriginalRequest(
          originalRequest == null
              ? exchange.getRequest()
              : originalRequest.build(exchange.getRequest(), settings.captureBodyLimitBytes()));
    }
    ProtocolAnnotations.annotate(exchange); // GraphQL, SOAP and MCP, told from the bodies
    return exchange.build();
  }

  static List<Header> headers(MultiMap headers) {
    // Not sized by headers.size(): on an upstream response's headers (Netty's, adapted) that
    // collects every name into a set first.
    List<Header> result = new ArrayList<>();
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
