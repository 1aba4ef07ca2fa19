package dev.tapedeck.proxyservice.proxy;

import dev.tapedeck.proxyservice.proxy.impl.ReverseProxyHandler;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request handler that forwards traffic for one session and hands every exchange it captured to
 * a {@link CaptureSink}. Create with {@link #reverse}; the settings can be swapped while the
 * listener runs.
 */
public interface RecordingProxy extends Handler<HttpServerRequest> {

  /** Forwards every request to the session's target URL, streaming bodies both ways. */
  static RecordingProxy reverse(
      Vertx vertx, SessionSettings settings, CaptureSink sink, String proxyId) {
    return new ReverseProxyHandler(vertx, settings, sink, proxyId);
  }

  /** Applies changed session settings to requests that arrive from now on. */
  void update(SessionSettings settings);

  /** Releases the upstream connections. */
  void close();
}
