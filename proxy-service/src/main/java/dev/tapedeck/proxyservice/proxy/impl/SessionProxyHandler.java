package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Serves one session's listener in the session's mode, read afresh for every request, so a
 * settings update that changes the mode takes effect on the next request (on open connections
 * too) while requests in flight finish as they started.
 *
 * <ul>
 *   <li>reverse: every request goes to the session's target URL;
 *   <li>forward: absolute-URI requests go to the host they name, {@code CONNECT} opens a tunnel,
 *       and any other request is answered 400.
 * </ul>
 *
 * <p>In both modes a WebSocket upgrade is relayed frame by frame ({@link WebSocketRelay}), and
 * other requests go upstream in the client's HTTP version ({@link UpstreamClients}).
 */
public final class SessionProxyHandler implements RecordingProxy {
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final UpstreamClients upstreams;
  private final NetClient netClient;
  private final HttpForwarder http;
  private final TunnelRelay tunnels;
  private final WebSocketRelay websockets;
  private volatile SessionSettings settings;

  public SessionProxyHandler(
      Vertx vertx, SessionSettings settings, CaptureSink sink, String proxyId) {
    this.settings = settings;
    this.upstreams = new UpstreamClients(vertx);
    this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
    this.http = new HttpForwarder(vertx, upstreams, sink, proxyId);
    this.tunnels = new TunnelRelay(netClient, sink, proxyId);
    this.websockets = new WebSocketRelay(vertx, sink, proxyId);
  }

  @Override
  public void update(SessionSettings newSettings) {
    this.settings = newSettings;
  }

  @Override
  public void close() {
    upstreams.close();
    netClient.close();
    websockets.close();
  }

  @Override
  public void handle(HttpServerRequest req) {
    SessionSettings s = settings;
    if (!s.forwardMode()) {
      if (WebSocketRelay.isUpgrade(req)) {
        websockets.relay(req, s, TargetResolver.REVERSE);
      } else {
        http.forward(req, s, TargetResolver.REVERSE);
      }
    } else if (req.method() == HttpMethod.CONNECT) {
      tunnels.relay(req, s);
    } else if (WebSocketRelay.isUpgrade(req)) {
      websockets.relay(req, s, TargetResolver.ABSOLUTE_URI);
    } else {
      http.forward(req, s, TargetResolver.ABSOLUTE_URI);
    }
  }
}
