package dev.tapedeck.proxyservice.proxy;

import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.proxyservice.proxy.impl.WebSocketRelay;
import dev.tapedeck.proxyservice.proxy.spi.MockCatalog;
import io.vertx.core.http.HttpServerOptions;

/**
 * What every session listener of this proxy shares, from the proxy's configuration: where
 * sessions may connect, and how many client connections a listener holds and for how long idle.
 *
 * @param egress the egress policy every upstream connection is checked against
 * @param maxConnections client connections one listener holds at once; past it new connections are
 *     closed as they arrive and counted ({@code onConnectionRefused})
 * @param idleTimeoutSeconds a connection (HTTP, tunnel or WebSocket, client or upstream side) that
 *     carries no byte for this long is closed; 0 for never
 * @param onConnectionRefused called once for each connection closed for being over the cap
 * @param mocks the mock sets this pod follows, for sessions in playback or with Map Local
 */
public record ListenerOptions(
    EgressPolicy egress,
    int maxConnections,
    int idleTimeoutSeconds,
    Runnable onConnectionRefused,
    MockCatalog mocks) {
  /**
   * The most body bytes Vert.x's HTTP/1 decoders hand over as one chunk, on the client side of a
   * session and towards the upstream alike (their default is 8 KiB). Each chunk is written to the
   * other side and flushed on its own, so at 8 KiB a 64 KiB response cost eight {@code send} calls
   * where one read had brought it in; the decoders still hand over whatever a read brought, without
   * waiting for more, so streamed bodies (SSE) are not held back (docs/development.md, fifteenth
   * pass).
   */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;

  /**
   * What every HTTP server a client of a session talks to shares, the session listeners and the
   * HTTPS interception server alike; each sets its own address and TLS on top. Request lines up to
   * 16 KiB and heads up to 64 KiB; bodies in chunks of {@link #MAX_CHUNK_BYTES}; no content or
   * WebSocket compression, so bytes and frames pass through as they are, up to {@link
   * WebSocketRelay}'s sizes; {@code Expect: 100-continue} goes to the upstream, whose 100 Continue
   * the proxy relays.
   */
  public static HttpServerOptions httpServerOptions() {
    return new HttpServerOptions()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(64 * 1024)
        .setMaxChunkSize(MAX_CHUNK_BYTES)
        .setDecompressionSupported(false)
        .setCompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        .setMaxWebSocketFrameSize(WebSocketRelay.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(WebSocketRelay.MAX_MESSAGE_BYTES)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  /** The defaults of the proxy's configuration, with an egress policy that allows everything. */
  public static final ListenerOptions OPEN = new ListenerOptions(EgressPolicy.OPEN, 1000, 120, () -> {});

  public ListenerOptions {
    egress = egress == null ? EgressPolicy.OPEN : egress;
    onConnectionRefused = onConnectionRefused == null ? () -> {} : onConnectionRefused;
    mocks = mocks == null ? MockCatalog.NONE : mocks;
  }

  /** Options without mocks. */
  public ListenerOptions(EgressPolicy egress, int maxConnections, int idleTimeoutSeconds, Runnable onConnectionRefused) {
    this(egress, maxConnections, idleTimeoutSeconds, onConnectionRefused, MockCatalog.NONE);
  }

  public ListenerOptions withEgress(EgressPolicy policy) {
    return new ListenerOptions(policy, maxConnections, idleTimeoutSeconds, onConnectionRefused, mocks);
  }

  /** These options, answering from {@code catalog}'s mocks. */
  public ListenerOptions withMocks(MockCatalog catalog) {
    return new ListenerOptions(egress, maxConnections, idleTimeoutSeconds, onConnectionRefused, catalog);
  }
}
