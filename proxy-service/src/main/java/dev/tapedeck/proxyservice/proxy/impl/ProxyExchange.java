package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Flags;
import dev.tapedeck.proxyservice.policy.FrameToxics;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import dev.tapedeck.proxyservice.policy.ToxicPlan;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One exchange on its way through the {@link InterceptorChain}, in the shape of vertx-http-proxy's
 * {@code ProxyContext}: what it is, where it goes, what the steps decided (recorded or not, an
 * answer of the proxy's own, the toxic plan, modifications), and its recording, which is finished
 * here, once, however the exchange ends. Used from the event loop of the client's connection.
 */
final class ProxyExchange {
  /** What kind of exchange it is, as far as the policies care. */
  enum Kind {
    /** HTTP/1.x or HTTP/2, gRPC and SSE included. */
    HTTP,
    /** A WebSocket: the handshake, then frames. */
    WEBSOCKET,
    /** A CONNECT tunnel relayed without decrypting. */
    TUNNEL
  }

  final Kind kind;
  final Vertx vertx;
  final HttpServerRequest req;
  final SessionSettings settings;
  final SessionPolicies policies;
  final CaptureSink sink;
  final String proxyId;
  /** Where the request goes: host and port, and for HTTP and WebSocket the request-target. */
  final String host;
  final int port;
  /** The HTTP or WebSocket target; null for a tunnel. */
  final UpstreamTarget target;
  /** The CONNECT target; null unless a tunnel. */
  final HostPort tunnelTarget;
  final String clientAddress;

  /** The request head as it goes upstream: modification rules may change both. */
  MultiMap headers;
  String uri;

  /** Decided by the steps. */
  boolean recorded;
  LocalAnswer answer;
  ToxicPlan plan = ToxicPlan.NONE;
  FrameToxics frameToxics = FrameToxics.NONE;
  boolean modified;
  boolean refused;
  /** Answered by a mock (Map Local or playback) instead of the upstream. */
  boolean mapLocal;
  /** A playback session had no mock for the request. */
  boolean playbackMiss;
  /** Why body replacements did not run (over the limit, workers busy, out of time). */
  final List<String> rewriteSkipped = new ArrayList<>(1);

  /** The response head, once in: status and the headers as they go to the client. */
  int status;
  MultiMap responseHeaders;

  /** The recording, once {@link CaptureStep} opened it (one of the two, by kind). */
  ExchangeCapture capture;
  TunnelCapture tunnel;

  private ProxyExchange(
      Kind kind,
      Vertx vertx,
      HttpServerRequest req,
      SessionSettings settings,
      CaptureSink sink,
      String proxyId,
      UpstreamTarget target,
      HostPort tunnelTarget,
      String clientAddress) {
    this.kind = kind;
    this.vertx = vertx;
    this.req = req;
    this.settings = settings;
    this.policies = settings.policies();
    this.sink = sink;
    this.proxyId = proxyId;
    this.target = target;
    this.tunnelTarget = tunnelTarget;
    this.host = target != null ? target.host() : tunnelTarget.host();
    this.port = target != null ? target.port() : tunnelTarget.port();
    this.clientAddress = clientAddress;
    this.headers = req.headers();
    this.uri = target == null ? null : target.uri();
  }

  /** An HTTP request (or, with {@code kind} WEBSOCKET, an upgrade) to {@code target}. */
  static ProxyExchange of(
      Kind kind, Vertx vertx, HttpServerRequest req, SessionSettings s, CaptureSink sink, String proxyId,
      UpstreamTarget target, String clientAddress) {
    return new ProxyExchange(kind, vertx, req, s, sink, proxyId, target, null, clientAddress);
  }

  /** A CONNECT to {@code target}, relayed without decrypting. */
  static ProxyExchange tunnel(
      Vertx vertx, HttpServerRequest req, SessionSettings s, CaptureSink sink, String proxyId, HostPort target) {
    return new ProxyExchange(
        Kind.TUNNEL, vertx, req, s, sink, proxyId, null, target, HttpForwarder.address(req.remoteAddress()));
  }

  /** The request path without its query; null for a tunnel. */
  String path() {
    return uri == null ? null : HttpForwarder.pathOf(target.uri());
  }

  /** The URL the recording shows: the request as it goes upstream ({@code ws(s)://} for WebSockets). */
  String recordedUrl() {
    String url = target.urlWith(uri);
    return kind == Kind.WEBSOCKET ? (target.tls() ? "wss" : "ws") + url.substring(url.indexOf(':')) : url;
  }

  /** The response head as the upstream (or a local answer) gave it, before the response steps. */
  void response(int status, MultiMap headers) {
    this.status = status;
    this.responseHeaders = headers;
  }

  /** Nothing of this exchange is recorded (out of scope, or a status filtered out). */
  void dontRecord() {
    recorded = false;
    capture = null;
    tunnel = null;
  }

  /**
   * Answers 502 with {@code message} (or resets the response when its head went out already) and
   * finishes the recording with it as the error.
   */
  void fail(String message) {
    io.vertx.core.http.HttpServerResponse out = req.response();
    if (!out.headWritten()) {
      io.vertx.core.buffer.Buffer body = ProxyFailure.BAD_GATEWAY.send(out, message);
      recordResponseHead(ProxyFailure.BAD_GATEWAY.status, ProxyFailure.BAD_GATEWAY.reason, req.version(), out.headers());
      recordResponseChunk(body);
    } else {
      out.reset();
    }
    req.resume();
    finish(message);
  }

  /**
   * Answers 403 for a target the egress policy refuses (unless the response went out already) and
   * finishes the recording with why, flagged refused.
   */
  void refuse(String message) {
    io.vertx.core.http.HttpServerResponse out = req.response();
    refused = true;
    if (!out.headWritten() && !out.closed()) {
      io.vertx.core.buffer.Buffer body = ProxyFailure.EGRESS_REFUSED.send(out, message);
      recordResponseHead(
          ProxyFailure.EGRESS_REFUSED.status, ProxyFailure.EGRESS_REFUSED.reason, req.version(), out.headers());
      recordResponseChunk(body);
    }
    req.resume();
    finish("egress_refused: " + message);
  }

  /** Records the response head, when recorded. */
  void recordResponseHead(int status, String statusMessage, io.vertx.core.http.HttpVersion version, MultiMap headers) {
    if (capture != null) {
      capture.responseHead(status, statusMessage, version, headers);
    } else if (tunnel != null) {
      tunnel.responseHead(status, statusMessage, version, headers);
    }
  }

  /** Records a chunk of the response body, when recorded (a tunnel's bytes are counted, not kept). */
  void recordResponseChunk(io.vertx.core.buffer.Buffer chunk) {
    if (capture != null) {
      capture.responseChunk(chunk);
    }
  }

  /**
   * Records a chunk of the response body as Vert.x read it from the upstream, when recorded: kept
   * where it is, not copied, so nothing may write it afterwards.
   */
  void recordResponseRead(io.vertx.core.buffer.Buffer chunk) {
    if (capture != null) {
      capture.responseRead(chunk);
    }
  }

  /**
   * Records a chunk of the request body as Vert.x read it from the client, when recorded: kept
   * where it is, not copied, so nothing may write it afterwards.
   */
  void recordRequestRead(io.vertx.core.buffer.Buffer chunk) {
    if (capture != null) {
      capture.requestRead(chunk);
    }
  }

  /** Records a chunk of the request body, when recorded. */
  void recordRequestChunk(io.vertx.core.buffer.Buffer chunk) {
    if (capture != null) {
      capture.requestChunk(chunk);
    }
  }

  boolean recording() {
    return capture != null || tunnel != null;
  }

  /** Whether the response's last bytes wait for the capture to be durable. */
  boolean acked() {
    return capture != null && settings.ackedDurability();
  }

  /**
   * Finishes the recording ({@code error} null when the exchange completed normally) and hands it
   * to the capture sink; nothing when it is not recorded or was finished already.
   */
  void finish(String error) {
    CaptureHandoff.finish(sink, settings, () -> finished(error));
  }

  /** As {@link #finish}; completes once the capture is durable (at once when none is made). */
  CompletionStage<Void> finishDurably(String error) {
    return CaptureHandoff.finishDurably(sink, settings, () -> finished(error));
  }

  /** For a tunnel: the bytes relayed each way, told before {@link #finish}. */
  private long clientToServer;
  private long serverToClient;

  void tunnelBytes(long clientToServer, long serverToClient) {
    this.clientToServer = clientToServer;
    this.serverToClient = serverToClient;
  }

  /** The finished capture, flagged with what the steps did; null when none or already finished. */
  private CapturedExchange finished(String error) {
    CapturedExchange done;
    if (capture != null) {
      capture.modified(modified);
      done = capture.complete(error);
    } else if (tunnel != null) {
      done = tunnel.complete(clientToServer, serverToClient, error);
    } else {
      return null;
    }
    if (done == null) {
      return null;
    }
    List<String> toxics = new ArrayList<>(plan.names());
    frameToxics.names().stream().filter(n -> !toxics.contains(n)).forEach(toxics::add);
    if (refused || mapLocal || playbackMiss || !rewriteSkipped.isEmpty() || !toxics.isEmpty()) {
      Flags.Builder flags =
          done.getFlags().toBuilder()
              .setRefused(refused)
              .setMapLocal(mapLocal)
              .setPlaybackMiss(playbackMiss)
              .addAllRewriteSkipped(rewriteSkipped)
              .addAllToxics(toxics);
      done = done.toBuilder().setFlags(flags).build();
    }
    return done;
  }
}
