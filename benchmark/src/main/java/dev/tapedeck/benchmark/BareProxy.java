package dev.tapedeck.benchmark;

import dev.tapedeck.devstack.Service;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The least a reverse proxy on the JVM does, as a yardstick beside nginx: what this machine gives a
 * Java proxy before any of Tapedeck's work. Two of them, each a child JVM started with the proxy's
 * own options ({@link Service#PROXY}), one event loop per core on Linux's native transport, keep-alive
 * connections to the upstream:
 *
 * <ul>
 *   <li>{@code vertx}: a Vert.x HTTP server whose handler sends each request through a Vert.x HTTP
 *       client and pipes the bodies, the layers Tapedeck's proxy is built on;
 *   <li>{@code netty}: Netty's HTTP codecs with nothing between them, each request's parts written
 *       as decoded to an upstream connection borrowed from the event loop's own pool, each event loop
 *       accepting on a listening socket of its own.
 * </ul>
 *
 * Both copy every header but {@code Connection} and {@code Host} and do nothing else: no policy,
 * capture, metrics, header checks or back-pressure (the benchmark's bodies are 64 KiB at most), so
 * each is faster than any proxy that does a proxy's job on the same layers.
 */
final class BareProxy implements AutoCloseable {
  /** The two kinds, by their {@code --baselines} names. */
  static final List<String> KINDS = List.of("vertx", "netty");

  /** The bare Vert.x proxy's chunk size for bodies, Tapedeck's proxy's (64 KiB; Vert.x's is 8). */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final Process process;
  private final int port;

  private BareProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** {@code kind} in a child JVM on a free loopback port, forwarding to {@code upstreamPort}. */
  static BareProxy start(String kind, int upstreamPort, Path log) throws IOException, InterruptedException {
    int port = ChildListeners.freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(Service.PROXY.jvmOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareProxy.class.getName()));
    command.addAll(List.of(kind, String.valueOf(port), String.valueOf(upstreamPort)));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!ChildListeners.awaitListening(process, port, Duration.ofSeconds(30))) {
      process.destroyForcibly();
      throw new IOException("the bare " + kind + " proxy did not start: see " + log);
    }
    return new BareProxy(process, port);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    ChildListeners.stop(process);
  }

  /** The child JVM: {@code <vertx|netty> <port> <upstream port>}. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    int upstream = Integer.parseInt(args[2]);
    int loops = Runtime.getRuntime().availableProcessors();
    switch (args[0]) {
      case "vertx" -> vertx(port, upstream, loops);
      case "netty" -> netty(port, upstream, loops);
      default -> throw new IllegalArgumentException("a bare proxy is vertx or netty, not " + args[0]);
    }
    Thread.currentThread().join();
  }

  private static void vertx(int port, int upstream, int loops) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
    if (!vertx.isNativeTransportEnabled()) {
      throw new IllegalStateException("Vert.x has no native transport here", vertx.unavailableNativeTransportCause());
    }
    // One server and one client per event loop, the server sharing the port, as Vert.x applications
    // deploy them: each request and its upstream connection stay on the loop that read it. Bodies
    // come in chunks of up to 64 KiB, as in Tapedeck's proxy (ListenerOptions.MAX_CHUNK_BYTES).
    vertx.deployVerticle(
        () ->
            new AbstractVerticle() {
              @Override
              public void start(Promise<Void> started) {
                HttpClient client =
                    vertx.createHttpClient(
                        new HttpClientOptions()
                            .setKeepAlive(true)
                            .setMaxPoolSize(64)
                            .setTcpNoDelay(true)
                            .setMaxChunkSize(MAX_CHUNK_BYTES));
                vertx
                    .createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setMaxChunkSize(MAX_CHUNK_BYTES))
                    .requestHandler(req -> forward(client, upstream, req))
                    .listen(port, "127.0.0.1")
                    .<Void>mapEmpty()
                    .onComplete(started);
              }
            },
        new DeploymentOptions().setInstances(loops));
  }

  private static void forward(HttpClient client, int upstream, HttpServerRequest req) {
    req.pause();
    RequestOptions options =
        new RequestOptions().setMethod(req.method()).setURI(req.uri()).setHost("127.0.0.1").setPort(upstream);
    for (Map.Entry<String, String> h : req.headers()) {
      if (!h.getKey().equalsIgnoreCase("connection") && !h.getKey().equalsIgnoreCase("host")) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    client
        .request(options)
        .onSuccess(
            up -> {
              up.response()
                  .onSuccess(
                      answer -> {
                        HttpServerResponse res = req.response().setStatusCode(answer.statusCode());
                        for (Map.Entry<String, String> h : answer.headers()) {
                          if (!h.getKey().equalsIgnoreCase("connection")) {
                            res.headers().add(h.getKey(), h.getValue());
                          }
                        }
                        answer.pipeTo(res);
                      })
                  .onFailure(t -> req.connection().close());
              req.pipeTo(up);
            })
        .onFailure(t -> req.response().setStatusCode(502).end());
  }

  private static void netty(int port, int upstream, int loops) throws InterruptedException {
    EpollEventLoopGroup group = new EpollEventLoopGroup(loops);
    // One listening socket per event loop (SO_REUSEPORT): each loop accepts the connections it
    // serves, as Tapedeck's proxy does (LoopAcceptors), so no connection is handed between threads.
    for (int i = 0; i < loops; i++) {
      EventLoop loop = group.next();
      new ServerBootstrap()
          .group(loop, loop)
          .channel(EpollServerSocketChannel.class)
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.pipeline().addLast(new HttpServerCodec(), new Front(upstream));
                }
              })
          .bind("127.0.0.1", port)
          .sync();
    }
  }

  /** Each event loop's idle upstream connections; only that loop touches its pool. */
  private static final FastThreadLocal<ArrayDeque<Channel>> POOL =
      new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
          return new ArrayDeque<>();
        }
      };

  /** One client connection: its requests go, one at a time, to an upstream connection from the pool. */
  private static final class Front extends ChannelInboundHandlerAdapter {
    private final int upstream;
    /** Parts of the request read before its upstream connection was open. */
    private final List<Object> early = new ArrayList<>();
    private Channel back;
    private boolean keepAlive;

    Front(int upstream) {
      this.upstream = upstream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
        request.headers().remove(HttpHeaderNames.CONNECTION);
        request.setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
        Channel pooled = pooled();
        if (pooled != null) {
          attach(ctx.channel(), pooled);
        } else {
          connect(ctx);
        }
      }
      if (back != null) {
        back.write(msg);
      } else {
        early.add(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (back != null) {
        back.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (back != null) {
        back.close(); // mid-exchange: the upstream connection cannot be reused
      }
    }

    private static Channel pooled() {
      ArrayDeque<Channel> pool = POOL.get();
      Channel ch;
      while ((ch = pool.poll()) != null) {
        if (ch.isActive()) {
          return ch;
        }
      }
      return null;
    }

    private void connect(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(false);
      EventLoop loop = ctx.channel().eventLoop();
      new Bootstrap()
          .group(loop)
          .channel(EpollSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.pipeline().addLast(new HttpClientCodec(), new Back());
                }
              })
          .connect("127.0.0.1", upstream)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (!f.isSuccess()) {
                      ctx.close();
                      return;
                    }
                    attach(ctx.channel(), f.channel());
                    early.forEach(back::write);
                    early.clear();
                    back.flush();
                    ctx.channel().config().setAutoRead(true);
                  });
    }

    private void attach(Channel front, Channel upstreamChannel) {
      back = upstreamChannel;
      upstreamChannel.pipeline().get(Back.class).front = front;
    }

    /** The response ended: the upstream connection goes back to the pool, if it stays open. */
    void answered(Channel front, Channel upstreamChannel, boolean upstreamKeepsAlive) {
      back = null;
      if (upstreamKeepsAlive) {
        POOL.get().push(upstreamChannel);
      } else {
        upstreamChannel.close();
      }
      if (!keepAlive) {
        front.close();
      }
    }
  }

  /** One upstream connection: relays the response to whichever client connection borrowed it. */
  private static final class Back extends ChannelInboundHandlerAdapter {
    private Channel front;
    private boolean keepsAlive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel to = front;
      if (to == null) {
        ReferenceCountUtil.release(msg); // nothing was asked of this connection
        return;
      }
      Front frontHandler = to.pipeline().get(Front.class);
      if (msg instanceof HttpResponse response) {
        keepsAlive = HttpUtil.isKeepAlive(response);
        response.headers().remove(HttpHeaderNames.CONNECTION);
        if (!frontHandler.keepAlive) {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
      }
      if (msg instanceof LastHttpContent) {
        front = null;
        to.writeAndFlush(msg);
        frontHandler.answered(to, ctx.channel(), keepsAlive);
      } else {
        to.write(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (front != null) {
        front.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (front != null) {
        front.close(); // the upstream went away mid-response
      }
    }
  }
}
