package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.proto.capture.v1.TunnelInfo;
import dev.tapedeck.proxyservice.capture.EntryIds;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What is recorded of one CONNECT tunnel: the CONNECT request's head, the proxy's answer, the
 * bytes relayed each way (counted, never kept: the tunnel is not decrypted), and how long
 * connecting and the whole tunnel took. Used from the event loop of the client's connection only.
 */
final class TunnelCapture {
  private final SessionSettings settings;
  private final String proxyId;
  private final HostPort target;
  private final long startedAtMicros = System.currentTimeMillis() * 1000;
  private final long startNanos = System.nanoTime();
  private final CapturedExchange.Builder exchange = CapturedExchange.newBuilder();
  private final CapturedRequest request;
  private CapturedResponse response;
  private long connectedNanos = -1;
  private boolean completed;

  TunnelCapture(SessionSettings settings, String proxyId, HostPort target, HttpServerRequest req) {
    this.settings = settings;
    this.proxyId = proxyId;
    this.target = target;
    this.request =
        CapturedRequest.newBuilder()
            .setMethod(req.method().name())
            .setUrl(target.authority())
            .setHttpVersion(ExchangeCapture.versionName(req.version()))
            .addAllHeaders(ExchangeCapture.headers(req.headers()))
            .build();
    String client = HttpForwarder.address(req.remoteAddress());
    exchange.setClientAddress(client == null ? "" : client);
  }

  void connected(String serverAddress) {
    connectedNanos = System.nanoTime();
    if (serverAddress != null) {
      exchange.setServerAddress(serverAddress);
    }
  }

  void responseHead(int status, String statusText, HttpVersion version, MultiMap headers) {
    response =
        CapturedResponse.newBuilder()
            .setStatusCode(status)
            .setStatusText(statusText == null ? "" : statusText)
            .setHttpVersion(ExchangeCapture.versionName(version))
            .addAllHeaders(ExchangeCapture.headers(headers))
            .build();
  }

  /** The finished tunnel ({@code error} null when it closed normally), or null when already done. */
  CapturedExchange complete(long clientToServer, long serverToClient, String error) {
    if (completed) {
      return null;
    }
    completed = true;
    exchange
        .setEntryId(EntryIds.next())
        .setSessionId(settings.sessionId())
        .setEntryType(EntryType.TUNNEL)
        .setStartedAtUnixMicros(startedAtMicros)
        .setProxyId(proxyId)
        .setRequest(request)
        .setTunnel(
            TunnelInfo.newBuilder()
                .setHost(target.host())
                .setPort(target.port())
                .setBytesClientToServer(clientToServer)
                .setBytesServerToClient(serverToClient))
        .setTimings(timings(System.nanoTime()));
    if (response != null) {
      exchange.setResponse(response);
    }
    if (error != null) {
      exchange.setError(error);
    }
    return exchange.build();
  }

  /**
   * {@code connect} is the time to open the upstream connection; the time the tunnel then stayed
   * open counts as {@code receive}, so that the phases add up to {@code total} as HAR expects.
   */
  private Timings timings(long end) {
    double total = ExchangeTimings.ms(end - startNanos);
    double connect = connectedNanos < 0 ? -1 : ExchangeTimings.ms(connectedNanos - startNanos);
    return Timings.newBuilder()
        .setDnsMs(-1)
        .setConnectMs(connect)
        .setTlsMs(-1)
        .setSendMs(0)
        .setWaitMs(0)
        .setReceiveMs(connect < 0 ? 0 : Math.max(0, total - connect))
        .setTotalMs(total)
        .build();
  }
}
