package dev.tapedeck.proxyservice.proxy;

import dev.tapedeck.proxyservice.proxy.impl.SessionProxyHandler;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import io.netty.channel.Channel;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * A request handler that forwards traffic for one session and hands every exchange it captured to
 * a {@link CaptureSink}. Create with {@link #of}; the settings, mode included, can be swapped
 * while the listener runs.
 */
public interface RecordingProxy extends Handler<HttpServerRequest> {

  /**
   * Serves the session in its mode. Reverse mode forwards every request to the session's target
   * URL; forward mode serves absolute-URI requests ({@code GET http://host/path}) and {@code
   * CONNECT} tunnels, as an {@code HTTP_PROXY} does. Bodies stream both ways in either mode.
   */
  static RecordingProxy of(Vertx vertx, SessionSettings settings, CaptureSink sink, String proxyId) {
    return of(vertx, settings, sink, proxyId, InterceptionCaSource.NONE);
  }

  /** As {@link #of(Vertx, SessionSettings, CaptureSink, String)}, intercepting HTTPS with the CA. */
  static RecordingProxy of(
      Vertx vertx, SessionSettings settings, CaptureSink sink, String proxyId, InterceptionCaSource ca) {
    return of(vertx, settings, sink, proxyId, ca, ListenerOptions.OPEN);
  }

  /**
   * As {@link #of(Vertx, SessionSettings, CaptureSink, String, InterceptionCaSource)}, checking
   * every upstream connection against {@code options}' egress policy.
   */
  static RecordingProxy of(
      Vertx vertx,
      SessionSettings settings,
      CaptureSink sink,
      String proxyId,
      InterceptionCaSource ca,
      ListenerOptions options) {
    return new SessionProxyHandler(vertx, settings, sink, proxyId, ca, options);
  }

  /**
   * Serves a connection its listener accepted on an event loop of its own, before anything was
   * read from it. {@code vertxPipeline} installs Vert.x's HTTP server pipeline on a channel, which
   * then brings each request to {@link #handle}; that is all this default does.
   */
  default void serve(Channel channel, Consumer<Channel> vertxPipeline) {
    vertxPipeline.accept(channel);
  }

  /** Applies changed session settings (mode included) to requests that arrive from now on. */
  void update(SessionSettings settings);

  /** Releases the upstream connections. */
  void close();

  /**
   * Wall-clock seconds this session's new requests have been held back so far, because publishing
   * captures lagged.
   */
  default double backpressureSeconds() {
    return 0;
  }
}
