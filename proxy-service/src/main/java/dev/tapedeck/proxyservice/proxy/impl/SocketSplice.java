package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/**
 * Two sockets joined: what is read from one is written to the other unchanged, with backpressure,
 * paced when a pace is given (the bandwidth toxics, through a {@link Pacer} each way), and counted. When one side ends, the other is ended once everything read before has been
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

  /** How a tunnel's bytes are paced and cut: KiB/s each way (0: unpaced), and {@code closeAfterBytes}. */
  record Pace(int serverToClientKBps, int clientToServerKBps, long closeAfterBytes) {
    static final Pace NONE = new Pace(0, 0, 0);
  }

  /** Joins {@code client} and {@code server}; {@code onClosed} runs once both are closed. */
  static void join(Vertx vertx, NetSocket client, NetSocket server, Handler<SocketSplice> onClosed) {
    join(vertx, client, server, Pace.NONE, onClosed);
  }

  /**
   * As {@link #join(Vertx, NetSocket, NetSocket, Handler)}, paced each way, and closing both once
   * {@code closeAfterBytes} bytes went from the server to the client (the {@code closeAfterBytes}
   * toxic; 0: never).
   */
  static void join(Vertx vertx, NetSocket client, NetSocket server, Pace pace, Handler<SocketSplice> onClosed) {
    SocketSplice splice = new SocketSplice(onClosed);
    splice.closeAfterBytes = pace.closeAfterBytes();
    splice.relay(client, server, true, new Pacer(vertx, client, server, pace.clientToServerKBps(), 0, () -> {}));
    splice.relay(server, client, false, new Pacer(vertx, server, client, pace.serverToClientKBps(), 0, () -> {}));
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

  private void relay(NetSocket from, NetSocket to, boolean fromClient, Pacer pacer) {
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
            pacer.write(chunk.slice(0, allowed));
            pacer.flushed(to::end);
            from.close();
            return;
          } else {
            serverToClient += chunk.length();
          }
          pacer.write(chunk);
        });
    // The end comes after every chunk read before it, and the pacer writes them all before the
    // end, so ending the other side loses nothing.
    from.endHandler(v -> pacer.flushed(to::end));
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
