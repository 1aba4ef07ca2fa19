package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proxyservice.proxy.RecordingProxy;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One listener per running session, on the session's port. Each listener is a set of Vert.x
 * servers sharing the port, each on an event loop of its own, so a port's connections spread over
 * the cores: on Linux's native transport each accepts on a socket of its own ({@link
 * LoopAcceptors}), elsewhere Vert.x binds them and hands its connections out. A session's
 * captures still reach Kafka in the order its exchanges ended: the capture hand-over keeps a line
 * across event loops ({@code CaptureHandoff}).
 */
public class ListenerManager {
  private static final Logger LOG = Logger.getLogger(ListenerManager.class);

  private final Vertx vertx;
  private final CaptureSink sink;
  private final String proxyId;
  private final String bindHost;
  private final int serversPerListener;
  private final boolean acceptOnEventLoops;
  private final boolean nettyPassThrough;
  private final InterceptionCaSource caSource;
  private final ListenerOptions options;
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

  /** Called with (settings, error) once a listener opened (error null) or failed to open. */
  private final BiConsumer<SessionSettings, Throwable> onListen;

  public ListenerManager(
      Vertx vertx,
      CaptureSink sink,
      String proxyId,
      String bindHost,
      int serversPerListener,
      InterceptionCaSource caSource,
      BiConsumer<SessionSettings, Throwable> onListen) {
    this(vertx, sink, proxyId, bindHost, serversPerListener, true, true, caSource, ListenerOptions.OPEN, onListen);
  }

  /**
   * @param acceptOnEventLoops whether, on Linux's native transport, each server accepts on a
   *     socket of its own ({@link LoopAcceptors}) rather than through Vert.x's acceptor thread
   * @param nettyPassThrough whether, with {@code acceptOnEventLoops}, a session that only passes
   *     traffic through is served on Netty's codecs ({@link RecordingProxy#serve})
   * @param options the egress policy, connection cap and idle timeout every listener applies
   */
  public ListenerManager(
      Vertx vertx,
      CaptureSink sink,
      String proxyId,
      String bindHost,
      int serversPerListener,
      boolean acceptOnEventLoops,
      boolean nettyPassThrough,
      InterceptionCaSource caSource,
      ListenerOptions options,
      BiConsumer<SessionSettings, Throwable> onListen) {
    this.acceptOnEventLoops = acceptOnEventLoops && LoopAcceptors.available(vertx);
    this.nettyPassThrough = nettyPassThrough;
    this.options = options;
    this.caSource = caSource;
    this.vertx = vertx;
    this.sink = sink;
    this.proxyId = proxyId;
    this.bindHost = bindHost;
    this.serversPerListener = serversPerListener;
    this.onListen = onListen;
  }

  /**
   * An open listener: its servers, and what closes them (their own close when Vert.x bound them,
   * the sockets' when {@link LoopAcceptors} did).
   */
  private record Listener(
      SessionSettings settings, RecordingProxy proxy, List<HttpServer> servers, Supplier<Future<?>> closer) {}

  /** Makes the listeners match {@code sessions} exactly: opens the new, closes the gone. */
  public synchronized void sync(List<SessionSettings> sessions) {
    sync(sessions, java.util.Set.of());
  }

  /**
   * As {@link #sync(List)}, leaving the listeners of {@code keep} (sessions still running whose new
   * settings this pod could not apply) as they are.
   */
  public synchronized void sync(List<SessionSettings> sessions, java.util.Set<String> keep) {
    java.util.Set<String> wanted = new java.util.HashSet<>(keep);
    sessions.forEach(s -> wanted.add(s.sessionId()));
    for (String id : List.copyOf(listeners.keySet())) {
      if (!wanted.contains(id)) {
        close(id);
      }
    }
    sessions.forEach(this::open);
  }

  /**
   * Opens a session's listener, or applies changed settings to the one already open: on the same
   * port the running proxy takes them over (a changed mode included), on another port the
   * listener is reopened.
   */
  public synchronized void open(SessionSettings settings) {
    Listener current = listeners.get(settings.sessionId());
    if (current != null) {
      if (current.settings().revision() > settings.revision()) {
        return;
      }
      if (current.settings().listenPort() == settings.listenPort()) {
        if (!current.settings().mode().equals(settings.mode())) {
          LOG.infof(
              "Session %s: port %d switches from %s to %s mode",
              settings.sessionId(), settings.listenPort(), current.settings().mode(), settings.mode());
        }
        current.proxy().update(settings);
        listeners.put(
            settings.sessionId(), new Listener(settings, current.proxy(), current.servers(), current.closer()));
        return;
      }
      close(settings.sessionId());
    }
    RecordingProxy proxy = RecordingProxy.of(vertx, settings, sink, proxyId, caSource, options);
    // One count for all the servers of the listener: the cap is per port.
    AtomicInteger open = new AtomicInteger();
    List<HttpServer> servers = new ArrayList<>();
    for (int i = 0; i < serversPerListener; i++) {
      HttpServer server =
          vertx.createHttpServer(
              ListenerOptions.httpServerOptions()
                  .setHost(bindHost)
                  .setPort(settings.listenPort())
                  .setReuseAddress(true)
                  // A connection silent this long (a stalled request head included) is closed:
                  // by Vert.x, or by the loop that accepted it (LoopAcceptors).
                  .setIdleTimeout(acceptOnEventLoops ? 0 : options.idleTimeoutSeconds()));
      if (!acceptOnEventLoops) {
        // Accepted on the loops, a connection is counted as it is accepted (below), before Vert.x
        // or the Netty pass-through has it.
        server.connectionHandler(connection -> admit(settings, open, connection));
      }
      server.requestHandler(proxy);
      servers.add(server);
    }
    Future<?> listening;
    Supplier<Future<?>> closer;
    if (acceptOnEventLoops) {
      Future<LoopAcceptors.Bound> bound = LoopAcceptors.bind(
          vertx,
          servers,
          bindHost,
          settings.listenPort(),
          options.idleTimeoutSeconds(),
          (channel, vertxPipeline) -> {
            if (admitted(settings, open, channel.remoteAddress())) {
              channel.closeFuture().addListener(closed -> open.decrementAndGet());
              if (nettyPassThrough) {
                proxy.serve(channel, vertxPipeline);
              } else {
                vertxPipeline.accept(channel);
              }
            } else {
              channel.close();
            }
          });
      listening = bound;
      closer = () -> bound.transform(ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture());
    } else {
      listening = Future.all(servers.stream().map(this::listenOnAnEventLoopOfItsOwn).toList());
      closer = () -> Future.join(servers.stream().map(HttpServer::close).toList());
    }
    listeners.put(settings.sessionId(), new Listener(settings, proxy, servers, closer));
    listening
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                LOG.infof(
                    "Session %s: listening on %s:%d -> %s",
                    settings.sessionId(),
                    bindHost,
                    settings.listenPort(),
                    settings.forwardMode() ? "any host (forward proxy)" : settings.targetOrigin());
                onListen.accept(settings, null);
              } else {
                LOG.errorf(
                    "Session %s: cannot listen on port %d: %s",
                    settings.sessionId(), settings.listenPort(), ar.cause().getMessage());
                synchronized (this) {
                  Listener failed = listeners.get(settings.sessionId());
                  if (failed != null && failed.servers() == servers) {
                    close(settings.sessionId());
                  }
                }
                onListen.accept(settings, ar.cause());
              }
            });
  }

  /**
   * Binds {@code server} from a context on the next event loop: a server handles its connections
   * on the event loop it was bound from, and {@link #open} runs on whatever thread delivered the
   * session (an event loop too, for the control plane's stream), so binding every server of a
   * listener from there put all of a port's connections on one core.
   */
  private Future<HttpServer> listenOnAnEventLoopOfItsOwn(HttpServer server) {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    Promise<HttpServer> bound = context.promise();
    context.runOnContext(v -> server.listen().onComplete(bound));
    return bound.future();
  }

  /** Counts a new client connection, closing it when the listener already holds its cap. */
  private void admit(SessionSettings settings, AtomicInteger open, HttpConnection connection) {
    if (!admitted(settings, open, connection.remoteAddress())) {
      connection.close();
      return;
    }
    connection.closeHandler(v -> open.decrementAndGet());
  }

  /**
   * Counts a new client connection from {@code remote}; false (counted as refused) when the
   * listener already holds its cap, and the connection is to be closed.
   */
  private boolean admitted(SessionSettings settings, AtomicInteger open, Object remote) {
    if (open.incrementAndGet() > options.maxConnections()) {
      open.decrementAndGet();
      options.onConnectionRefused().run();
      LOG.debugf(
          "Session %s: connection from %s refused, port %d holds its cap of %d",
          settings.sessionId(), remote, settings.listenPort(), options.maxConnections());
      return false;
    }
    return true;
  }

  /** Closes a session's listener and its upstream connections. */
  public synchronized void close(String sessionId) {
    closing(sessionId);
  }

  /** Closes a session's listener; the future completes once its servers and their connections are closed. */
  private Future<?> closing(String sessionId) {
    Listener listener = listeners.remove(sessionId);
    if (listener == null) {
      return Future.succeededFuture();
    }
    Future<?> closed = listener.closer().get();
    listener.proxy().close();
    LOG.infof("Session %s: listener on port %d closed", sessionId, listener.settings().listenPort());
    return closed;
  }

  /**
   * Closes every listener and, unless called on an event loop, waits (at most {@link
   * #CLOSE_WAIT}) until their connections are closed: every exchange they carried has then ended
   * and handed its capture to the sink, which shuts down after this (a capture handed over later
   * went to the spool of a pod that was not coming back).
   */
  public void closeAll() {
    List<Future<?>> closed = new ArrayList<>();
    synchronized (this) {
      List.copyOf(listeners.keySet()).forEach(id -> closed.add(closing(id)));
    }
    if (Context.isOnEventLoopThread()) {
      return;
    }
    try {
      Future.join(closed).toCompletionStage().toCompletableFuture().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warnf("Listeners not all closed after %s: %s", CLOSE_WAIT, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** The settings of each open listener with the seconds its session was held back so far. */
  public Map<SessionSettings, Double> backpressureSeconds() {
    Map<SessionSettings, Double> held = new java.util.HashMap<>();
    listeners.values().forEach(l -> held.put(l.settings(), l.proxy().backpressureSeconds()));
    return held;
  }

  /** Seconds one session was held back so far on this pod; 0 without an open listener. */
  public double backpressureSeconds(String sessionId) {
    Listener listener = listeners.get(sessionId);
    return listener == null ? 0 : listener.proxy().backpressureSeconds();
  }

  /** Session ids with an open listener. */
  public List<String> sessionIds() {
    return List.copyOf(listeners.keySet());
  }
}
