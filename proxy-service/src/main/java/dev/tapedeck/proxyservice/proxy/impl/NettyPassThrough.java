package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Forwarding on Netty's own HTTP/1 codecs: the requests of a session that applies no policy go
 * upstream without Vert.x's HTTP server and client, which cost a new connection about a fifth more
 * CPU than Netty's codecs alone (docs/development.md, "A pass-through data plane on Netty's
 * codecs"), and are recorded here when the session records (ADR 12).
 *
 * <p>Which sessions: reverse mode to an {@code http://} target, or forward mode ({@code
 * HTTP_PROXY}); no mocks, modification rules, toxics or chaos, no {@code proxyAuth}, {@code
 * upstreamProxy} or {@code forwardedHeaders}. With {@code durability: "acked"}, a response's last
 * bytes wait here until its capture is durable, as on Vert.x's path. Which requests: HTTP/1.0 and
 * 1.1, in origin form in reverse mode and with an {@code http://} absolute URI in forward mode
 * ({@code CONNECT} and {@code https://} URLs go to Vert.x), without {@code Upgrade} or {@code
 * Expect}, chunked or with a length. A recording session's
 * filters, body limit and back-pressure apply here as on Vert.x's path, and its entries are the
 * same ({@code NettyPassThroughTest} compares them). The session's settings are read afresh for
 * every request, as {@link SessionProxyHandler} reads them: when a request finds the session no
 * longer qualifying (a rule was added), or is one of the others, or
 * its target is refused by the egress policy or cannot be resolved, the connection is handed to
 * Vert.x's pipeline with the bytes of that request as they came ({@link PassThroughConnection}),
 * and Vert.x serves it from then on, that request included. So everything but a plain forward,
 * its recording and an unreachable upstream's 502 is answered by the one path that answers it
 * for every other session.
 *
 * <p>Upstream connections are kept per event loop and per address, for the loop that made them
 * only, and closed after {@link #KEEP_ALIVE_SECONDS} idle, as Vert.x's client does; an address
 * with none left idle is forgotten at the next sweep.
 */
final class NettyPassThrough {
  static final int CONNECT_TIMEOUT_MS = 10_000;
  /** Idle upstream connections are closed after this long, Vert.x's client's keep-alive timeout. */
  static final int KEEP_ALIVE_SECONDS = 60;
  /** Idle upstream connections one loop keeps for one address; more are closed. */
  static final int MAX_IDLE_PER_ADDRESS = 256;
  /** Vert.x's client's default limits on a response's status line and head. */
  private static final int MAX_STATUS_LINE = 4096;
  private static final int MAX_RESPONSE_HEAD = 8192;

  private final Supplier<SessionSettings> settings;
  final EgressGuard egress;
  final Recorder recorder;
  /** Exchanges that went upstream from here, and connections handed to Vert.x. */
  final Counter exchanges = Metrics.counter("tapedeck.proxy.netty.exchanges");
  final Counter handoffs = Metrics.counter("tapedeck.proxy.netty.handoffs");
  private final Map<EventLoop, Pool> pools = new ConcurrentHashMap<>();
  private volatile Verdict verdict = new Verdict(null, false);
  private volatile boolean closed;

  /** Whether one settings object qualifies, kept until the settings change. */
  private record Verdict(SessionSettings settings, boolean fast) {}

  /**
   * Where this path's recordings go, as {@link ProxyExchange} sends them.
   *
   * @param holdBack runs its argument once capture publishing has caught up, counting the time a
   *     request waited as the session's back-pressure ({@link SessionProxyHandler#backpressureSeconds})
   */
  record Recorder(CaptureSink sink, String proxyId, Consumer<Runnable> holdBack) {}

  NettyPassThrough(Supplier<SessionSettings> settings, EgressGuard egress, Recorder recorder) {
    this.settings = settings;
    this.egress = egress;
    this.recorder = recorder;
  }

  /**
   * Serves a connection just accepted: on Netty's codecs while the session qualifies, otherwise
   * through {@code vertxPipeline} at once.
   */
  void serve(Channel channel, Consumer<Channel> vertxPipeline) {
    if (closed || !qualifies(settings.get())) {
      vertxPipeline.accept(channel);
      return;
    }
    new PassThroughConnection(this, channel, vertxPipeline).install();
  }

  /** The session's settings as they are now. */
  SessionSettings settings() {
    return settings.get();
  }

  /** Whether the session, with settings {@code s}, is served here. */
  boolean qualifies(SessionSettings s) {
    Verdict v = verdict;
    if (v.settings() != s) {
      v = new Verdict(s, qualifying(s));
      verdict = v;
    }
    return v.fast();
  }

  static boolean qualifying(SessionSettings s) {
    return (s.forwardMode() || (!s.targetTls() && !s.targetHost().isEmpty()))
        && s.transport().upstreamProxy() == null
        && !s.transport().forwardedHeaders()
        && s.transport().proxyAuth() == null
        && !s.playback().servesMocks()
        && !s.policies().modifies()
        && s.policies().toxics().inert();
  }

  /** The last address asked for, as a pool key: a reverse-mode session sends to one or a few. */
  private volatile Address lastAddress = new Address("", -1, "");

  private record Address(String ip, int port, String key) {}

  /** The pool key of {@code ip:port}. */
  String address(String ip, int port) {
    Address last = lastAddress;
    if (last.port() != port || !last.ip().equals(ip)) {
      last = new Address(ip, port, ip + ":" + port);
      lastAddress = last;
    }
    return last.key();
  }

  /** {@code loop}'s idle upstream connections; only that loop may use them. */
  Pool pool(EventLoop loop) {
    Pool pool = pools.get(loop);
    if (pool == null) {
      pool = pools.computeIfAbsent(loop, Pool::new);
      if (closed) {
        pool.close();
      }
    }
    return pool;
  }

  /** Opens an upstream connection from {@code client}'s event loop, on its transport. */
  ChannelFuture connect(Channel client, String ip, int port) {
    return new Bootstrap()
        .group(client.eventLoop())
        .channel(client instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(
                        new HttpClientCodec(MAX_STATUS_LINE, MAX_RESPONSE_HEAD, ListenerOptions.MAX_CHUNK_BYTES),
                        new PassThroughConnection.Upstream());
              }
            })
        .connect(new InetSocketAddress(ip, port));
  }

  /** Closes the idle upstream connections; connections in use close when their exchange ends. */
  void close() {
    closed = true;
    pools.values().forEach(Pool::close);
  }

  /** One event loop's idle upstream connections, by address, most recently used first. */
  final class Pool {
    private final EventLoop loop;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();
    private ScheduledFuture<?> sweeping;
    private boolean shut;

    private Pool(EventLoop loop) {
      this.loop = loop;
    }

    /** An open idle connection to {@code address}, or null. */
    Channel borrow(String address) {
      ArrayDeque<Channel> channels = idle.get(address);
      if (channels == null) {
        return null;
      }
      long now = System.nanoTime();
      Channel ch;
      while ((ch = channels.pollFirst()) != null) {
        if (ch.isActive() && !expired(ch, now)) {
          return ch;
        }
        ch.close();
      }
      return null;
    }

    /** Keeps {@code ch}, which just finished an exchange with {@code address}, for the next. */
    void giveBack(String address, Channel ch) {
      if (shut) {
        ch.close();
        return;
      }
      ArrayDeque<Channel> channels = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
      if (channels.size() >= MAX_IDLE_PER_ADDRESS) {
        ch.close();
        return;
      }
      ch.pipeline().get(PassThroughConnection.Upstream.class).idleSince = System.nanoTime();
      channels.addFirst(ch);
      if (sweeping == null) {
        sweeping = loop.scheduleAtFixedRate(this::sweep, KEEP_ALIVE_SECONDS, 10, TimeUnit.SECONDS);
      }
    }

    private boolean expired(Channel ch, long now) {
      PassThroughConnection.Upstream upstream = ch.pipeline().get(PassThroughConnection.Upstream.class);
      return upstream == null || now - upstream.idleSince > TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
    }

    private void sweep() {
      long now = System.nanoTime();
      for (ArrayDeque<Channel> channels : idle.values()) {
        // Least recently used last: drop from the end while expired.
        while (!channels.isEmpty() && (!channels.peekLast().isActive() || expired(channels.peekLast(), now))) {
          channels.pollLast().close();
        }
      }
      // A forward-mode session reaches many addresses: those left with no idle connection go.
      idle.values().removeIf(ArrayDeque::isEmpty);
    }

    private void close() {
      try {
        loop.execute(
            () -> {
              shut = true;
              if (sweeping != null) {
                sweeping.cancel(false);
              }
              List<Channel> all = new ArrayList<>();
              idle.values().forEach(all::addAll);
              idle.clear();
              all.forEach(Channel::close);
            });
      } catch (RejectedExecutionException shutDown) {
        // the loop is gone, and its connections with it
      }
    }
  }
}
