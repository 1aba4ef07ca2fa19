package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import dev.tapedeck.proxyservice.tls.UpstreamTrust;
import io.netty.channel.Channel;
import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import dev.tapedeck.policy.EgressPolicy.Refusal;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import java.util.Optional;
import io.vertx.core.net.ProxyOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
 * other requests go upstream in the client's HTTP version ({@link UpstreamClients}). With {@code
 * mitm.enabled}, a {@code CONNECT} to a host outside {@code mitm.passthroughHosts} is intercepted
 * ({@link HttpsInterceptor}) and its decrypted requests are served here like forward-mode ones.
 * Upstream connections follow the session's {@code upstreamTls} and {@code upstreamProxy}, fixed
 * when the listener opens.
 */
public final class SessionProxyHandler implements RecordingProxy {
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final String proxyId;
  private final UpstreamClients upstreams;
  private final NetClient netClient;
  private final HttpForwarder http;
  private final TunnelRelay tunnels;
  private final WebSocketRelay websockets;
  private final NetClient loopback;
  private final HttpsInterceptor interceptor;
  private final NettyPassThrough passThrough;
  private final EgressGuard egress;
  private final Vertx vertx;
  private final CaptureSink sink;
  private final int idleTimeoutSeconds;
  /** Tunnel clients through the upstream proxy, by its checked address (one, unless its DNS changes). */
  private final Map<String, NetClient> chainedTunnels = new ConcurrentHashMap<>();
  private volatile SessionSettings settings;
  private final AtomicLong heldNanos = new AtomicLong();
  private final AtomicLong holdingSince = new AtomicLong();

  public SessionProxyHandler(
      Vertx vertx,
      SessionSettings settings,
      CaptureSink sink,
      String proxyId,
      InterceptionCaSource ca,
      ListenerOptions options) {
    this.settings = settings;
    this.sink = sink;
    this.proxyId = proxyId;
    this.upstreams = new UpstreamClients(vertx, settings.transport());
    this.egress = new EgressGuard(options.egress(), upstreams, settings.transport().upstreamProxy());
    this.vertx = vertx;
    this.idleTimeoutSeconds = options.idleTimeoutSeconds();
    this.netClient = vertx.createNetClient(tunnelOptions(settings));
    this.loopback = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
    MockAnswers mocks = new MockAnswers(options.mocks());
    InterceptorChain chain = InterceptorChain.standard(new LocalAnswerStep(List.of(mocks)));
    mocks.chain(chain);
    this.http = new HttpForwarder(vertx, upstreams, sink, proxyId, egress, chain);
    this.tunnels = new TunnelRelay(vertx, this::tunnelClient, sink, proxyId, egress, chain);
    this.websockets =
        new WebSocketRelay(vertx, sink, proxyId, settings.transport(), egress, options.idleTimeoutSeconds(), chain);
    this.interceptor = new HttpsInterceptor(vertx, loopback, ca, this::handleDecrypted);
    this.passThrough =
        new NettyPassThrough(() -> this.settings, egress, new NettyPassThrough.Recorder(sink, proxyId, this::whenRelieved));
  }

  /**
   * Serves the connection on Netty's codecs while the session only passes traffic through
   * ({@link NettyPassThrough}); any request that needs more goes, with the connection, to
   * {@code vertxPipeline} and so to {@link #handle}.
   */
  @Override
  public void serve(Channel channel, Consumer<Channel> vertxPipeline) {
    passThrough.serve(channel, vertxPipeline);
  }

  private NetClientOptions tunnelOptions(SessionSettings s) {
    return UpstreamTrust.apply(
        new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setIdleTimeout(idleTimeoutSeconds), s.transport());
  }

  /** The TCP client for a tunnel: direct, or through the upstream proxy at its checked address. */
  private NetClient tunnelClient(ProxyOptions proxy) {
    if (proxy == null) {
      return netClient;
    }
    String key = proxy.getHost() + ":" + proxy.getPort();
    NetClient client = chainedTunnels.get(key);
    if (client == null) {
      if (chainedTunnels.size() >= 16) {
        // The upstream proxy's address keeps changing: start afresh rather than grow.
        chainedTunnels.values().removeIf(c -> {
          c.close();
          return true;
        });
      }
      client = chainedTunnels.computeIfAbsent(key, k -> vertx.createNetClient(tunnelOptions(settings).setProxyOptions(proxy)));
    }
    return client;
  }

  @Override
  public void update(SessionSettings newSettings) {
    this.settings = newSettings;
  }

  @Override
  public void close() {
    passThrough.close();
    interceptor.close();
    upstreams.close();
    netClient.close();
    chainedTunnels.values().forEach(NetClient::close);
    loopback.close();
    websockets.close();
  }

  @Override
  public void handle(HttpServerRequest req) {
    SessionSettings s = settings;
    if (!ProxyAuthCheck.admits(req, s)) {
      return;
    }
    admitted(req, s);
  }

  /** A request the session's proxyAuth admitted: held back while capture publishing lags. */
  private void admitted(HttpServerRequest req, SessionSettings s) {
    if (s.record() && !s.dropOnOverflow() && sink.congested()) {
      holdBack(req);
      return;
    }
    dispatch(req, s);
  }

  /**
   * Capture back-pressure: while the sink lags, a recording session's new requests wait (paused,
   * so nothing more is read from their connections) and go on, in order, once it has caught up.
   * The client sees a slower answer; no capture is lost.
   */
  private void holdBack(HttpServerRequest req) {
    req.pause();
    Context context = vertx.getOrCreateContext();
    whenRelieved(
        () -> context.runOnContext(
            v -> {
              if (!req.response().closed()) {
                admitted(req, settings);
              }
            }));
  }

  /**
   * Runs {@code then} once the sink has caught up, counting the wait as this session's
   * back-pressure (from the first request held until the sink is relieved).
   */
  private void whenRelieved(Runnable then) {
    holdingSince.compareAndSet(0, System.nanoTime());
    sink.whenRelieved(
        () -> {
          long since = holdingSince.getAndSet(0);
          if (since != 0) {
            heldNanos.addAndGet(System.nanoTime() - since);
          }
          then.run();
        });
  }

  @Override
  public double backpressureSeconds() {
    long since = holdingSince.get();
    return (heldNanos.get() + (since == 0 ? 0 : System.nanoTime() - since)) / 1e9;
  }

  private void dispatch(HttpServerRequest req, SessionSettings s) {
    if (!s.forwardMode()) {
      if (WebSocketRelay.isUpgrade(req)) {
        websockets.relay(req, s, TargetResolver.REVERSE);
      } else {
        http.forward(req, s, TargetResolver.REVERSE);
      }
    } else if (req.method() == HttpMethod.CONNECT) {
      connect(req, s);
    } else if (WebSocketRelay.isUpgrade(req)) {
      websockets.relay(req, s, TargetResolver.ABSOLUTE_URI);
    } else {
      http.forward(req, s, TargetResolver.ABSOLUTE_URI);
    }
  }

  private void connect(HttpServerRequest req, SessionSettings s) {
    HostPort target;
    try {
      target = HostPort.parse(req.uri(), -1);
    } catch (BadProxyRequest e) {
      ProxyFailure.BAD_REQUEST.send(req.response(), e.getMessage());
      return;
    }
    Optional<Refusal> port = egress.checkConnectPort(target.host(), target.port());
    if (port.isPresent()) {
      tunnels.refuse(req, s, target, port.get().message());
      return;
    }
    if (s.intercepts(target.host())) {
      tunnels.admit(req, s, target).onSuccess(x -> interceptor.intercept(x));
    } else {
      tunnels.relay(req, s, target);
    }
  }

  /** A request decrypted from an intercepted tunnel: forwarded to the tunnel's https:// target. */
  private void handleDecrypted(HttpServerRequest req) {
    HttpsInterceptor.Tunnel tunnel = interceptor.tunnelOf(req);
    if (tunnel == null) {
      ProxyFailure.BAD_REQUEST.send(req.response(), "This port serves intercepted CONNECT tunnels only");
      return;
    }
    SessionSettings s = settings;
    if (WebSocketRelay.isUpgrade(req)) {
      websockets.relay(req, s, tunnel);
    } else {
      http.forward(req, s, tunnel);
    }
  }
}
