package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;

/**
 * Two sockets joined: what is read from one is written to the other unchanged, with backpressure,
 * and counted. When one side ends, the other is ended once everything read before has been
 * written; when one fails, both are closed. Once both are closed, {@code onClosed} runs once.
 *
 * <p>Both sockets must run on one event loop (open the second from the first's context), so the
 * counters need no synchronisation.
 */
final class SocketSplice {
  private final Handler<SocketSplice> onClosed;
  private long clientToServer;
  private long serverToClient;
  private int open = 2;
  private String error;
  private long closeAfterBytes;

  private SocketSplice(Handler<SocketSplice> onClosed) {
    this.onClosed = onClosed;
  }

  /** Joins {@code client} and {@code server}; {@code onClosed} runs once both are closed. */
  static void join(NetSocket client, NetSocket server, Handler<SocketSplice> onClosed) {
    join(client, server, 0, onClosed);
  }

  /**
   * As {@link #join(NetSocket, NetSocket, Handler)}, closing both once {@code closeAfterBytes}
   * bytes went from the server to the client (the {@code closeAfterBytes} toxic; 0: never).
   */
  static void join(NetSocket client, NetSocket server, long closeAfterBytes, Handler<SocketSplice> onClosed) {
    SocketSplice splice = new SocketSplice(onClosed);
    splice.closeAfterBytes = closeAfterBytes;
    splice.relay(client, server, true);
    splice.relay(server, client, false);
  }

  long clientToServer() {
    return clientToServer;
  }

  long serverToClient() {
    return serverToClient;
  }

  /** The first failure of either side, or null when both closed normally. */
  String error() {
    return error;
  }

  private void relay(NetSocket from, NetSocket to, boolean fromClient) {
    from.handler(
        chunk -> {
          if (fromClient) {
            clientToServer += chunk.length();
          } else if (closeAfterBytes > 0 && serverToClient + chunk.length() >= closeAfterBytes) {
            int allowed = (int) (closeAfterBytes - serverToClient);
            serverToClient += allowed;
            if (error == null) {
              error = "Closed by the closeAfterBytes toxic after " + closeAfterBytes + " bytes";
            }
            to.end(chunk.slice(0, allowed));
            from.close();
            return;
          } else {
            serverToClient += chunk.length();
          }
          to.write(chunk);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
    // The end comes after every chunk read before it, so ending the other side loses nothing.
    from.endHandler(v -> to.end());
    from.exceptionHandler(
        t -> {
          if (error == null) {
            error = (fromClient ? "Client" : "Upstream") + " connection failed: " + t.getMessage();
          }
          from.close();
          to.close();
        });
    from.closeHandler(
        v -> {
          if (--open == 0) {
            onClosed.handle(this);
          }
        });
  }
}
