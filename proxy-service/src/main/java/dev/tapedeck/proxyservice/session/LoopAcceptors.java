package dev.tapedeck.proxyservice.session;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.SslChannelProvider;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A listener's servers bound as one listening socket per event loop ({@code SO_REUSEPORT}), each
 * accepting on the loop that then serves the connection.
 *
 * <p>Vert.x 4 accepts every connection of every server on one acceptor thread of its own and
 * hands it to an event loop, and sets four socket options on each accepted connection whatever
 * their values: under new connections that is a thread wake-up, a second {@code epoll_wait} and
 * four {@code setsockopt} calls a connection (docs/development.md, "Cold connections"). Here the
 * kernel spreads new connections over the loops' sockets, each loop accepts its own, and a
 * connection keeps Netty's defaults ({@code TCP_NODELAY} on). What runs on a connection is up to
 * the {@link Acceptor}: Vert.x's own HTTP server pipeline, built by the unbound {@link HttpServer}
 * with its handlers (the same HTTP/1, h2c and connection handling as a server Vert.x binds itself),
 * at once or once the session's Netty pass-through hands the connection over. Idle connections are
 * closed by {@link LoopConnections}, which each loop sweeps once a second.
 *
 * <p>Only on Linux's native transport, and while Vert.x's pipeline factory is where this finds it
 * (an internal method of Vert.x 4.5, looked up once); otherwise {@link #available} is false and
 * the listener lets Vert.x bind, as {@code tapedeck.proxy.accept-on-event-loops=false} does.
 *
 * <p>Every socket of a port sets {@code SO_REUSEPORT}, which would also let another process of
 * the same user that sets it share the port unnoticed: a plain socket is bound to the port first
 * and closed, so a port anything else listens on fails as it would without this.
 */
final class LoopAcceptors {
  /** Vert.x's HTTP pipeline factory for a server, one per event loop. Internal to Vert.x 4.5. */
  private static final MethodHandle CHILD_HANDLER = childHandler();

  private LoopAcceptors() {}

  /** Whether servers of {@code vertx} can be bound here: Vert.x on the epoll transport. */
  static boolean available(Vertx vertx) {
    return CHILD_HANDLER != null && vertx.isNativeTransportEnabled() && Epoll.isAvailable();
  }

  /** The listening sockets of one port and the connections they accepted, by event loop. */
  static final class Bound {
    private final List<Channel> listening;
    private final List<LoopConnections> connections;

    private Bound(List<Channel> listening, List<LoopConnections> connections) {
      this.listening = listening;
      this.connections = connections;
    }

    /** Stops accepting and closes every connection; completes once all are closed. */
    Future<Void> close() {
      List<Future<Void>> closing = new ArrayList<>();
      listening.forEach(socket -> closing.add(done(socket.close())));
      connections.forEach(loop -> closing.add(loop.close()));
      return Future.join(closing).mapEmpty();
    }
  }

  /** What becomes of a connection just accepted, before anything is read from it. */
  @FunctionalInterface
  interface Acceptor {
    /**
     * Serves {@code channel}; {@code vertxPipeline} installs the server's own Vert.x HTTP pipeline
     * on it (at once, or later, between two requests).
     */
    void accept(Channel channel, Consumer<Channel> vertxPipeline);
  }

  /**
   * Binds each of {@code servers} (created by {@code vertx}, handlers set, never listened) on an
   * event loop of its own to {@code host:port}, each connection going to {@code acceptor}. A
   * connection that carries no byte for {@code idleTimeoutSeconds} (0: never) is closed by its
   * loop; the servers need no idle timeout of their own.
   */
  static Future<Bound> bind(
      Vertx vertx, List<HttpServer> servers, String host, int port, int idleTimeoutSeconds, Acceptor acceptor) {
    VertxInternal internal = (VertxInternal) vertx;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    List<LoopConnections> connections = new ArrayList<>();
    List<Channel> listening = new ArrayList<>();
    List<Future<Void>> binds = new ArrayList<>();
    for (HttpServer server : servers) {
      ContextInternal context = internal.createEventLoopContext();
      BiConsumer<Channel, SslChannelProvider> worker = pipelineOf(server, context, host, port);
      Consumer<Channel> vertxPipeline = ch -> worker.accept(ch, null);
      LoopConnections accepted = new LoopConnections(context.nettyEventLoop(), idleTimeoutSeconds);
      connections.add(accepted);
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(context.nettyEventLoop(), context.nettyEventLoop())
              .channel(EpollServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .option(EpollChannelOption.SO_REUSEPORT, true)
              .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      accepted.add(ch);
                      acceptor.accept(ch, vertxPipeline);
                    }
                  });
      ChannelFuture bind = bootstrap.bind(host, port);
      listening.add(bind.channel());
      binds.add(done(bind));
    }
    Bound result = new Bound(listening, connections);
    return Future.all(binds)
        .map(result)
        .recover(error -> result.close().transform(v -> Future.failedFuture(error)));
  }

  /** A Vert.x future completed as {@code netty} is. */
  static Future<Void> done(io.netty.util.concurrent.Future<?> netty) {
    Promise<Void> done = Promise.promise();
    netty.addListener(f -> {
      if (f.isSuccess()) {
        done.complete();
      } else {
        done.fail(f.cause());
      }
    });
    return done.future();
  }

  @SuppressWarnings("unchecked")
  private static BiConsumer<Channel, SslChannelProvider> pipelineOf(
      HttpServer server, ContextInternal context, String host, int port) {
    try {
      return (BiConsumer<Channel, SslChannelProvider>)
          CHILD_HANDLER.invoke((HttpServerImpl) server, context, SocketAddress.inetSocketAddress(port, host), null);
    } catch (Throwable e) {
      throw new IllegalStateException("Vert.x's HTTP server pipeline is not reachable", e);
    }
  }

  private static MethodHandle childHandler() {
    try {
      var method =
          HttpServerImpl.class.getDeclaredMethod(
              "childHandler", ContextInternal.class, SocketAddress.class, GlobalTrafficShapingHandler.class);
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method).asType(
          MethodType.methodType(
              BiConsumer.class, HttpServerImpl.class, ContextInternal.class, SocketAddress.class,
              GlobalTrafficShapingHandler.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
