package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proto.control.v1.ListenerReport;
import dev.tapedeck.proto.control.v1.ProxySession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.tapedeck.proto.control.v1.SessionUpdate;
import dev.tapedeck.proto.control.v1.SessionWatch;
import dev.tapedeck.proto.control.v1.WatchRequest;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.grpc.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.ManagedChannel;
import io.quarkus.grpc.GrpcClient;
import dev.tapedeck.proxyservice.ShutdownOrder;
import dev.tapedeck.proxyservice.mock.MockSets;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows the control plane's running-session set over the gRPC watch and keeps this pod's
 * listeners in step. When the control plane is away, the listeners stay as they were (the pod
 * serves its last known set) and the watch reconnects with a capped backoff.
 */
@ApplicationScoped
public class SessionFollower {
  private static final Logger LOG = Logger.getLogger(SessionFollower.class);
  // Half a second at most between attempts, so a pod converges within a second of the
  // control plane's return.
  private static final long MAX_BACKOFF_MS = 500;

  private final SessionWatch control;
  private final Vertx vertx;
  private final String proxyId;
  private final ListenerManager listeners;
  private final MockSets mocks;
  private final AtomicBoolean synced = new AtomicBoolean();
  private final AtomicLong backoffMs = new AtomicLong(100);
  private volatile boolean stopping;
  private volatile Cancellable watch;

  private final Channel channel;
  private static final long BACKPRESSURE_REPORT_MS = 5000;
  private final java.util.Map<String, Double> reportedHeld = new java.util.concurrent.ConcurrentHashMap<>();

  public SessionFollower(
      @GrpcClient("control") SessionWatch control,
      @GrpcClient("control") Channel channel,
      Vertx vertx,
      CaptureSink sink,
      @ConfigProperty(name = "tapedeck.proxy.id") Optional<String> configuredId,
      @ConfigProperty(name = "tapedeck.proxy.bind-host") String bindHost,
      @ConfigProperty(name = "tapedeck.proxy.servers-per-listener") Optional<Integer> servers,
      @ConfigProperty(name = "tapedeck.proxy.accept-on-event-loops", defaultValue = "true") boolean acceptOnEventLoops,
      @ConfigProperty(name = "tapedeck.proxy.netty-pass-through", defaultValue = "true") boolean nettyPassThrough,
      @ConfigProperty(name = "tapedeck.internal.token") Optional<String> internalToken,
      EgressSettings egress,
      MeterRegistry registry,
      MockSets mocks) {
    this.control = control;
    this.channel = channel;
    this.vertx = vertx;
    this.proxyId =
        configuredId.filter(s -> !s.isBlank()).orElse("proxy-" + UUID.randomUUID().toString().substring(0, 8));
    this.mocks = mocks;
    mocks.proxyId(proxyId);
    this.listeners =
        new ListenerManager(
            vertx,
            sink,
            proxyId,
            bindHost,
            servers.orElse(Math.max(1, Runtime.getRuntime().availableProcessors())),
            acceptOnEventLoops,
            nettyPassThrough,
            new ControlPlaneCa(control, internalToken, proxyId),
            egress.listenerOptions(registry).withMocks(mocks),
            this::report);
  }

  void start(@Observes StartupEvent event) {
    LOG.infof("Proxy %s following sessions", proxyId);
    connect();
    vertx.setPeriodic(BACKPRESSURE_REPORT_MS, id -> reportBackpressure());
  }

  /** Tells the control plane how long each session has been held back, when that grew. */
  private void reportBackpressure() {
    listeners
        .backpressureSeconds()
        .forEach(
            (settings, seconds) -> {
              Double last = reportedHeld.put(settings.sessionId(), seconds);
              if (seconds > 0 && (last == null || seconds > last)) {
                report(settings, null);
              }
            });
  }

  /** Runs before the capture sink stops (it observes later), so no answered exchange is dropped. */
  void stop(@Observes @Priority(ShutdownOrder.LISTENERS) ShutdownEvent event) {
    stopping = true;
    Cancellable current = watch;
    if (current != null) {
      current.cancel();
    }
    listeners.closeAll();
  }

  /** Whether this pod has received the running-session set at least once. */
  public boolean synced() {
    return synced.get();
  }

  public String proxyId() {
    return proxyId;
  }

  private void connect() {
    if (stopping) {
      return;
    }
    // gRPC's own reconnect backoff grows to minutes; the watch's capped backoff is what counts,
    // so that a returning control plane is followed again within a second.
    if (channel instanceof ManagedChannel managed) {
      managed.resetConnectBackoff();
    }
    watch =
        control
            .watch(WatchRequest.newBuilder().setProxyId(proxyId).build())
            .subscribe()
            .with(
                this::apply,
                failure -> {
                  LOG.debugf("Session watch failed: %s", failure.getMessage());
                  reconnectLater();
                },
                this::reconnectLater);
  }

  private void apply(SessionUpdate update) {
    backoffMs.set(100);
    switch (update.getUpdateCase()) {
      case SNAPSHOT -> {
        List<SessionSettings> applicable = new ArrayList<>();
        Set<String> keep = new HashSet<>();
        for (ProxySession session : update.getSnapshot().getSessionsList()) {
          settingsOf(session).ifPresentOrElse(applicable::add, () -> keep.add(session.getId()));
        }
        mocks.sync(applicable, keep);
        listeners.sync(applicable, keep);
        if (synced.compareAndSet(false, true)) {
          LOG.infof("Proxy %s synced with the control plane", proxyId);
        }
      }
      case UPSERT ->
          settingsOf(update.getUpsert())
              .ifPresent(
                  s -> {
                    mocks.session(s);
                    listeners.open(s);
                  });
      case REMOVED_SESSION_ID -> {
        listeners.close(update.getRemovedSessionId());
        mocks.closed(update.getRemovedSessionId());
      }
      default -> LOG.warnf("Ignoring an unknown session update: %s", update.getUpdateCase());
    }
  }

  /**
   * The session's settings; empty when this pod cannot apply them, which it reports to the control
   * plane (with why) while a listener it already has for the session keeps its last settings.
   */
  private Optional<SessionSettings> settingsOf(ProxySession session) {
    try {
      return Optional.of(SessionSettings.of(session));
    } catch (SessionSettings.Rejected e) {
      LOG.errorf("Session %s revision %d: %s", session.getId(), session.getRevision(), e.getMessage());
      deliver(
          ListenerReport.newBuilder()
              .setProxyId(proxyId)
              .setSessionId(session.getId())
              .setPort(session.getListenPort())
              .setListening(listeners.sessionIds().contains(session.getId()))
              .setConfigRejected(true)
              .setError(e.getMessage())
              .build());
      return Optional.empty();
    }
  }

  private void reconnectLater() {
    if (stopping) {
      return;
    }
    long delay = backoffMs.getAndUpdate(d -> Math.min(MAX_BACKOFF_MS, d * 2));
    vertx.setTimer(delay, id -> connect());
  }

  private void report(SessionSettings settings, Throwable error) {
    deliver(
        ListenerReport.newBuilder()
            .setProxyId(proxyId)
            .setSessionId(settings.sessionId())
            .setPort(settings.listenPort())
            .setListening(error == null)
            .setError(error == null ? "" : String.valueOf(error.getMessage()))
            .setBackpressureSeconds(error == null ? listeners.backpressureSeconds(settings.sessionId()) : 0)
            .build());
  }

  /** Sends a listener report; one that does not arrive is logged (the next report supersedes it). */
  private void deliver(ListenerReport report) {
    control
        .reportListener(report)
        .subscribe()
        .with(ack -> {}, failure -> LOG.debugf("Listener report not delivered: %s", failure.getMessage()));
  }
}
