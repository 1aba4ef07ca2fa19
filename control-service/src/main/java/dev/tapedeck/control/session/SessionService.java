package dev.tapedeck.control.session;

import dev.tapedeck.control.ca.CertificateAuthority;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.policy.GlobalChaos;
import dev.tapedeck.control.ports.PortPool;
import dev.tapedeck.control.watch.ListenerReports;
import dev.tapedeck.control.watch.SessionBroadcast;
import dev.tapedeck.policy.contract.SessionCodec;
import dev.tapedeck.policy.contract.SessionContract;
import dev.tapedeck.proto.control.v1.ProxySession;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The session lifecycle: start (validate, lease a port, tell the proxy pods, wait until they
 * listen), stop, restart, delete, a config change pushed to the pods, and the running set that
 * proxy pods follow. Expiry and retention are {@link SessionRetention}'s; live policy updates
 * {@link SessionPolicyUpdates}'; both change sessions through this class, under its lock.
 */
@ApplicationScoped
public class SessionService {
  private static final Logger LOG = Logger.getLogger(SessionService.class);

  private final SessionStore store;
  private final SessionConfigValidator validator;
  private final PortPool ports;
  private final SessionBroadcast broadcast;
  private final ListenerReports listenerReports;
  private final Duration sessionTtl;
  private final ListenerWait listeners;
  private final int maxRunning;
  private final int maxPerUser;
  private final Clock clock;
  @Inject GlobalChaos chaos;
  @Inject CertificateAuthority ca;

  public SessionService(
      SessionStore store,
      SessionConfigValidator validator,
      PortPool ports,
      SessionBroadcast broadcast,
      ListenerReports listenerReports,
      Clock clock,
      ListenerWait listeners,
      @ConfigProperty(name = "tapedeck.sessions.ttl") Duration sessionTtl,
      @ConfigProperty(name = "tapedeck.sessions.max-running") int maxRunning,
      @ConfigProperty(name = "tapedeck.sessions.max-per-user") int maxPerUser) {
    this.store = store;
    this.validator = validator;
    this.ports = ports;
    this.broadcast = broadcast;
    this.listenerReports = listenerReports;
    this.clock = clock;
    this.sessionTtl = sessionTtl;
    this.listeners = listeners;
    this.maxRunning = maxRunning;
    this.maxPerUser = maxPerUser;
  }

  /** Publishes the sessions that were running before a restart, so pods pick them up again. */
  void restoreRunning(@Observes StartupEvent event) {
    List<Session> running = store.running();
    running.forEach(s -> broadcast.upsert(toProxySession(s)));
    if (!running.isEmpty()) {
      LOG.infof("Restored %d running session(s)", running.size());
    }
  }

  /**
   * Starts a session and returns once every connected proxy pod reports its listener open (or
   * {@code tapedeck.sessions.listen-timeout} passes). A port no pod could open is a 409.
   */
  public Session start(Caller caller, StartRequest request) {
    SessionConfig config = validator.validate(request);
    if (config.transport().mitm().on()) {
      // The client downloads the CA to trust it: it exists from the first interception session on.
      ca.generate();
    }
    Session session;
    synchronized (this) {
      int port = ports.lease(config.listenPort(), heldPortsWithinLimit(caller));
      String id = UUID.randomUUID().toString();
      // Millisecond precision, as MongoDB keeps it: a session reads the same before and after a save.
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      String name = config.name().isEmpty() ? "session-" + id.substring(0, 8) : config.name();
      session =
          new Session(
              id,
              caller.userId(),
              config.withListenPort(port).withName(name),
              Session.RUNNING,
              now,
              now.plus(sessionTtl),
              null,
              1);
      store.save(session);
      broadcast.upsert(toProxySession(session));
    }
    awaitListeners(session);
    return session;
  }

  /**
   * A stopped session with no proxy listener, to hold imported entries. Retention runs from now,
   * as for any stopped session.
   */
  public Session createImported(Caller caller, String name) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Session session =
        new Session(
            UUID.randomUUID().toString(),
            caller.userId(),
            new SessionConfig(name, "reverse", "", 0, "", false, 0, null, null, null, null, SessionPlayback.NONE.withTrafficMode("passthrough")),
            Session.STOPPED,
            now,
            now,
            now,
            1);
    store.save(session);
    return session;
  }

  /**
   * Runs a stopped session again with the same config: on its old port if that is still free,
   * else on the lowest free port. 409 if it is running already.
   */
  public Session restart(Caller caller, String id) {
    Session session = get(caller, id);
    if (session.running()) {
      throw ApiException.conflict("session_running", "Session " + id + " is already running");
    }
    if (session.config().listenPort() == 0) {
      throw ApiException.conflict(
          "session_imported", "Session " + id + " holds imported entries and has no proxy to run");
    }
    Session restarted;
    synchronized (this) {
      Set<Integer> held = heldPortsWithinLimit(caller);
      int old = session.config().listenPort();
      int port = oldPortReleased(old, held) ? old : ports.lease(0, held);
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      restarted = session.restarted(port, now.plus(sessionTtl));
      store.save(restarted);
      listenerReports.clear(id);
      broadcast.upsert(toProxySession(restarted));
    }
    awaitListeners(restarted);
    return restarted;
  }

  /**
   * Deletes a session and its entries: the listener closes first, then storage drops the
   * entries, then the session goes. If storage cannot be reached the session stays, stopped.
   */
  public long delete(Caller caller, String id, ToLongFunction<String> deleteEntries) {
    Session session = get(caller, id);
    if (session.running()) {
      stopInternal(session);
    }
    long deleted = deleteEntries.applyAsLong(id);
    store.delete(id);
    listenerReports.clear(id);
    return deleted;
  }

  /**
   * Whether a stopped session's own port is free again. The proxies close a stopped session's
   * listener within moments, so a restart right after a stop waits up to a second for that.
   */
  private boolean oldPortReleased(int port, Set<Integer> held) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (true) {
      PortPool.PortCheck check = ports.check(port, held);
      if (check.available() || !"in_use_on_host".equals(check.reason()) || System.nanoTime() > deadline) {
        return check.available();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Applies {@code change} to the session's config, one revision on. A running session's new
   * revision is pushed to every proxy pod, which swaps it in on its open listener: requests from
   * then on use it, connections stay open. A stopped session keeps it for its restart. {@code
   * change} may throw (a validation error): the session then keeps its old config.
   */
  synchronized Session reconfigure(Caller caller, String id, UnaryOperator<SessionConfig> change) {
    Session session = get(caller, id);
    Session updated = session.reconfigured(change.apply(session.config()));
    store.save(updated);
    if (updated.running()) {
      broadcast.upsert(toProxySession(updated));
    }
    return updated;
  }

  /**
   * Pushes every running session again, one revision on, after the global chaos settings changed:
   * they travel with each session's policies to the proxy pods.
   */
  public synchronized int republishRunning() {
    int count = 0;
    for (Session s : store.running()) {
      Session updated = s.reconfigured(s.config());
      store.save(updated);
      broadcast.upsert(toProxySession(updated));
      count++;
    }
    return count;
  }

  /** Every running session, whoever owns it. */
  public List<Session> running() {
    return store.running();
  }

  /**
   * The ports of the running sessions; 409 when no further session may run, in all or for this
   * caller (the admin key is not bound by the per-user limit).
   */
  private Set<Integer> heldPortsWithinLimit(Caller caller) {
    List<Session> running = store.running();
    if (running.size() >= maxRunning) {
      throw ApiException.conflict(
          "session_limit", "At most " + maxRunning + " sessions may run at once; stop one first");
    }
    long own = running.stream().filter(s -> s.ownerId().equals(caller.userId())).count();
    if (!caller.admin() && own >= maxPerUser) {
      throw ApiException.conflict(
          "session_limit_user",
          "At most " + maxPerUser + " sessions may run per user; stop one of yours first");
    }
    return running.stream().map(s -> s.config().listenPort()).collect(Collectors.toSet());
  }

  /** Returns once the pods listen; a port no pod could open stops the session and is a 409. */
  private void awaitListeners(Session session) {
    listeners
        .failure(session)
        .ifPresent(
            failure -> {
              stopInternal(session);
              throw ApiException.conflict(failure.error(), failure.message());
            });
  }

  public List<Session> list(Caller caller) {
    return store.all().stream().filter(s -> caller.canSee(s.ownerId())).toList();
  }

  /** The session, if the caller may see it; 404 otherwise (never 403, so ids do not leak). */
  public Session get(Caller caller, String id) {
    return store
        .find(id)
        .filter(s -> caller.canSee(s.ownerId()))
        .orElseThrow(() -> ApiException.notFound("Session " + id));
  }

  /** Stops a running session; stopping a stopped session returns it unchanged. */
  public Session stop(Caller caller, String id) {
    Session session = get(caller, id);
    return session.running() ? stopInternal(session) : session;
  }

  /** Stops a running session now (its expiry, or a listener no pod could open). */
  synchronized Session stopInternal(Session session) {
    Session stopped = session.stopped(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    store.save(stopped);
    broadcast.remove(session.id());
    listenerReports.clear(session.id());
    return stopped;
  }

  private ProxySession toProxySession(Session s) {
    SessionConfig c = s.config();
    return ProxySession.newBuilder()
        .setId(s.id())
        .setOwnerId(s.ownerId())
        .setMode(c.mode())
        .setTargetUrl(c.targetUrl())
        .setListenPort(c.listenPort())
        .setCaptureBodyLimitBytes(c.captureBodyLimitBytes())
        .setRecord(c.record())
        .setConfigJson(
            SessionCodec.write(
                SessionContract.of(
                    c.policies().withChaos(chaos.current()),
                    c.transport(),
                    c.captureOverflow(),
                    c.durability(),
                    c.playback().contract(c.namespace()))))
        .setRevision(s.revision())
        .build();
  }

  /** Seconds the proxies held the session's new requests back because capture publishing lagged. */
  public double backpressureSeconds(Session session) {
    return listenerReports.backpressureSeconds(session.id());
  }

}
