package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import dev.tapedeck.proxyservice.tls.InterceptionCa;
import dev.tapedeck.proxyservice.tls.LeafKeyManager;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Intercepts {@code CONNECT} tunnels of a forward-mode session with {@code mitm.enabled}: the
 * client's TLS is terminated with a leaf certificate the interception CA signs for the host it
 * asked for, and the decrypted requests (HTTP/1.1 or HTTP/2, as ALPN settles) are forwarded to
 * {@code https://host:port} and recorded like any other.
 *
 * <p>How: a TLS server of this listener's own, on a loopback port, terminates the client's TLS;
 * each intercepted tunnel is spliced to it over loopback, and the splice's local port tells the
 * server which {@code CONNECT} (target and real client) a decrypted request belongs to. The
 * server starts on the first interception.
 */
final class HttpsInterceptor {
  private static final Logger LOG = Logger.getLogger(HttpsInterceptor.class);

  private final Vertx vertx;
  private final NetClient loopback;
  private final InterceptionCaSource caSource;
  private final Handler<HttpServerRequest> decrypted;
  private final Map<Integer, Tunnel> tunnels = new ConcurrentHashMap<>();
  private Future<HttpServer> server;

  /**
   * @param decrypted serves the requests that arrive through intercepted tunnels; {@link
   *     #tunnelOf} tells it where they go
   */
  HttpsInterceptor(
      Vertx vertx,
      NetClient loopback,
      InterceptionCaSource caSource,
      Handler<HttpServerRequest> decrypted) {
    this.vertx = vertx;
    this.loopback = loopback;
    this.caSource = caSource;
    this.decrypted = decrypted;
  }

  /**
   * One intercepted tunnel: where its requests go, who the client really is, and how many
   * requests were decrypted from it.
   */
  static final class Tunnel implements TargetResolver {
    private final HostPort target;
    private final SocketAddress client;
    private final AtomicInteger requests = new AtomicInteger();

    Tunnel(HostPort target, SocketAddress client) {
      this.target = target;
      this.client = client;
    }

    @Override
    public UpstreamTarget resolve(HttpServerRequest req, SessionSettings s) throws BadProxyRequest {
      String uri = req.uri();
      if (!uri.startsWith("/")) {
        throw new BadProxyRequest("An intercepted request must name a path, not " + uri);
      }
      String origin = "https://" + HostPort.bracketed(target.host()) + (target.port() == 443 ? "" : ":" + target.port());
      return new UpstreamTarget(target.host(), target.port(), true, uri, origin + uri);
    }

    @Override
    public SocketAddress client(HttpServerRequest req) {
      return client;
    }

    void counted() {
      requests.incrementAndGet();
    }
  }

  /** The tunnel a request on the interception server came through, or null if none is known. */
  Tunnel tunnelOf(HttpServerRequest req) {
    Tunnel tunnel = req.remoteAddress() == null ? null : tunnels.get(req.remoteAddress().port());
    if (tunnel != null) {
      tunnel.counted();
    }
    return tunnel;
  }

  /**
   * Answers {@code CONNECT} with 200 and intercepts what the client sends through it; the chain's
   * request steps have run on {@code x} (an answer they set, a reset toxic say, is sent instead).
   */
  void intercept(ProxyExchange x) {
    if (x.answer != null) {
      x.answer.send(x);
      return;
    }
    HttpServerRequest req = x.req;
    HostPort target = x.tunnelTarget;
    req.pause();
    server()
        .compose(listening -> loopback.connect(listening.actualPort(), "127.0.0.1"))
        .onComplete(
            ar -> {
              req.resume();
              if (ar.failed()) {
                String message = "HTTPS interception of " + target.authority() + " unavailable: " + ar.cause().getMessage();
                HttpServerResponse out = req.response();
                if (!out.headWritten() && !out.closed()) {
                  ProxyFailure.BAD_GATEWAY.send(out, message);
                }
                x.finish(message);
                return;
              }
              NetSocket inner = ar.result();
              int port = inner.localAddress().port();
              Tunnel tunnel = new Tunnel(target, req.remoteAddress());
              tunnels.put(port, tunnel);
              req.toNetSocket()
                  .onComplete(
                      client -> {
                        if (client.failed()) {
                          tunnels.remove(port);
                          inner.close();
                          return;
                        }
                        SocketSplice.join(
                            vertx,
                            client.result(),
                            inner,
                            done -> {
                              tunnels.remove(port);
                              if (tunnel.requests.get() == 0) {
                                // Nothing was decrypted: most often the client refused the leaf.
                                x.finish(
                                    "No request was decrypted from this tunnel: the client did not"
                                        + " finish the TLS handshake (does it trust the Tapedeck CA?) or sent nothing");
                              }
                            });
                      });
            });
  }

  private synchronized Future<HttpServer> server() {
    if (server == null || server.failed()) {
      try {
        server = caSource.ca().compose(this::listen);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return server;
  }

  private Future<HttpServer> listen(InterceptionCa ca) {
    LeafKeyManager keys =
        new LeafKeyManager(
            ca,
            peerPort -> {
              Tunnel tunnel = tunnels.get(peerPort);
              return tunnel == null ? null : tunnel.target.host();
            });
    HttpServerOptions options =
        ListenerOptions.httpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setSsl(true)
            .setUseAlpn(true)
            .setKeyCertOptions(KeyCertOptions.wrap(keys));
    return vertx
        .createHttpServer(options)
        .requestHandler(decrypted)
        .exceptionHandler(t -> LOG.debugf("Intercepted connection failed: %s", t.getMessage()))
        .listen()
        .onSuccess(s -> LOG.infof("HTTPS interception listening on 127.0.0.1:%d", s.actualPort()));
  }

  void close() {
    Future<HttpServer> current;
    synchronized (this) {
      current = server;
    }
    if (current != null) {
      current.onSuccess(HttpServer::close);
    }
  }
}
