package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.Transport;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.tls.UpstreamTrust;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place a session's upstream HTTP clients are made, so that connection settings (timeouts,
 * pools, the session's upstream TLS trust and client certificate, and the upstream proxy it chains
 * through) are decided here for every request.
 *
 * <ul>
 *   <li>HTTP/1.x clients get an HTTP/1.1 upstream, plain or TLS;
 *   <li>HTTP/2 clients get an HTTP/2 upstream: h2c with prior knowledge for {@code http://}
 *       targets, ALPN offering h2 then http/1.1 for {@code https://} targets. An {@code http://}
 *       upstream that refuses the HTTP/2 preface gets the request again over HTTP/1.1 (nothing of
 *       it went out yet), and is remembered as HTTP/1.1-only.
 * </ul>
 *
 * <p>Each event loop gets its own clients, made on first use and closed by {@link #close()}: a
 * pooled connection then lives on the event loop of the client connection that asked for it, so
 * relaying a request and its response never hops between threads. (One client shared by every
 * event loop hands a request on one loop a connection bound to another, and every read and write
 * of the exchange then crosses threads.) The class also resolves
 * upstream host names (so that the recording can time DNS apart from connect) and tells a fresh
 * connection from a reused one.
 */
final class UpstreamClients {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int HTTP1_CONNECTIONS_PER_ORIGIN = 256;
  private static final int HTTP2_CONNECTIONS_PER_ORIGIN = 16;

  /** Bound on the origins remembered as refusing h2c; past it the memory starts afresh. */
  private static final int MAX_HTTP1_ONLY = 1024;

  private final Vertx vertx;
  private final Transport transport;
  private final Set<String> http1Only = ConcurrentHashMap.newKeySet();
  /** Connections that already carried a request; weak, so closed connections drop out. */
  private final Set<HttpConnection> used = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  /** The clients of each event loop (or of the caller's thread, outside one). */
  private final Map<Object, Clients> byLoop = new ConcurrentHashMap<>();
  private boolean closed;

  /** One event loop's clients, each made on first use. */
  private final class Clients {
    private HttpClient http1;
    private HttpClient http2;

    HttpClient get(boolean h2) {
      if (h2) {
        if (http2 == null) {
          http2 = createHttp2();
        }
        return http2;
      }
      if (http1 == null) {
        http1 = vertx.createHttpClient(base(), new PoolOptions().setHttp1MaxSize(HTTP1_CONNECTIONS_PER_ORIGIN));
      }
      return http1;
    }

    void close() {
      if (http1 != null) {
        http1.close();
      }
      if (http2 != null) {
        http2.close();
      }
    }
  }

  UpstreamClients(Vertx vertx, Transport transport) {
    this.vertx = vertx;
    this.transport = transport;
  }

  /** Whether upstream connections go through an HTTP proxy, which then resolves host names. */
  boolean viaProxy() {
    return transport.upstreamProxy() != null;
  }

  /**
   * The client for a request the client sent in {@code clientVersion} to a target reached over
   * TLS or not. One HTTP/2 client serves both: its requests say whether to use TLS, and Vert.x
   * then negotiates ALPN or speaks h2c with prior knowledge.
   */
  HttpClient forRequest(HttpVersion clientVersion, boolean tls) {
    // Only this event loop's thread uses its clients, so making them needs no lock.
    ContextInternal context = ContextInternal.current();
    Object loop = context != null && context.isEventLoopContext() ? context.nettyEventLoop() : Thread.currentThread();
    Clients clients = byLoop.get(loop);
    if (clients == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the session's upstream clients are closed");
        }
        clients = byLoop.computeIfAbsent(loop, l -> new Clients());
      }
    }
    synchronized (clients) {
      return clients.get(clientVersion == HttpVersion.HTTP_2);
    }
  }

  private HttpClient createHttp2() {
    HttpClientOptions options =
        base()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setUseAlpn(true)
            .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    return vertx.createHttpClient(
        options,
        new PoolOptions()
            .setHttp2MaxSize(HTTP2_CONNECTIONS_PER_ORIGIN)
            .setHttp1MaxSize(HTTP1_CONNECTIONS_PER_ORIGIN));
  }

  /**
   * Opens the upstream request for a client that spoke {@code clientVersion}, falling back to
   * HTTP/1.1 when a cleartext upstream refuses HTTP/2 with prior knowledge.
   */
  Future<HttpClientRequest> request(HttpVersion clientVersion, RequestOptions options) {
    boolean tls = Boolean.TRUE.equals(options.isSsl());
    if (clientVersion != HttpVersion.HTTP_2 || tls) {
      return forRequest(clientVersion, tls).request(options);
    }
    String origin = options.getHost() + ":" + options.getPort();
    if (http1Only.contains(origin)) {
      return forRequest(HttpVersion.HTTP_1_1, false).request(options);
    }
    return forRequest(HttpVersion.HTTP_2, false).request(options).recover(
        failure -> {
          if (!(failure instanceof Http2Exception)) {
            return Future.failedFuture(failure);
          }
          if (http1Only.size() >= MAX_HTTP1_ONLY) {
            http1Only.clear();
          }
          http1Only.add(origin);
          return forRequest(HttpVersion.HTTP_1_1, false).request(options);
        });
  }

  private HttpClientOptions base() {
    return UpstreamTrust.apply(
        new HttpClientOptions()
            .setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setKeepAlive(true)
            .setMaxChunkSize(ListenerOptions.MAX_CHUNK_BYTES)
            .setDecompressionSupported(false)
            .setVerifyHost(UpstreamTrust.verifiesHost(transport)),
        transport);
  }

  /**
   * The address to connect to for {@code host}: an IP literal as it is, a name through the same
   * resolver (and cache) the Vert.x clients use, so resolving here costs no extra lookup.
   */
  Future<String> resolve(String host) {
    if (isIpLiteral(host)) {
      return Future.succeededFuture(host);
    }
    Promise<InetAddress> resolved = Promise.promise();
    // VertxInternal is the only way to reach the resolver the HTTP clients share.
    ((VertxInternal) vertx).resolveAddress(host, resolved);
    return resolved.future().map(InetAddress::getHostAddress);
  }

  static boolean isIpLiteral(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }

  /** True the first time a request is sent on {@code connection}, false once it is reused. */
  boolean fresh(HttpConnection connection) {
    return connection != null && used.add(connection);
  }

  synchronized void close() {
    closed = true;
    byLoop.values().forEach(clients -> {
      synchronized (clients) {
        clients.close();
      }
    });
    byLoop.clear();
  }
}
