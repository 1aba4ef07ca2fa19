package dev.tapedeck.control.session;

import dev.tapedeck.control.watch.ListenerReports;
import dev.tapedeck.control.watch.SessionBroadcast;
import dev.tapedeck.proto.control.v1.ListenerReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Waits, after a start or restart, until every connected proxy pod has reported the session's
 * listener, for at most {@code tapedeck.sessions.listen-timeout}.
 */
@ApplicationScoped
public class ListenerWait {
  private static final Logger LOG = Logger.getLogger(ListenerWait.class);

  private final SessionBroadcast broadcast;
  private final ListenerReports listenerReports;
  private final Duration listenTimeout;

  public ListenerWait(
      SessionBroadcast broadcast,
      ListenerReports listenerReports,
      @ConfigProperty(name = "tapedeck.sessions.listen-timeout") Duration listenTimeout) {
    this.broadcast = broadcast;
    this.listenerReports = listenerReports;
    this.listenTimeout = listenTimeout;
  }

  /**
   * Why the session cannot serve: {@code config_rejected} when a pod cannot apply its config (a
   * contract it cannot read), {@code port_unavailable} with the first pod's error when pods
   * reported and none listens; empty when one listens, when none reported in time, or when no pod
   * is connected (the session listens once one connects).
   */
  Optional<Failure> failure(Session session) {
    Set<String> proxies = connectedProxies();
    if (proxies.isEmpty()) {
      LOG.warnf("No proxy pod is connected; session %s will listen once one connects", session.id());
      return Optional.empty();
    }
    List<ListenerReport> reports;
    try {
      reports = listenerReports.await(session.id(), proxies, listenTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    Optional<ListenerReport> rejected = reports.stream().filter(ListenerReport::getConfigRejected).findFirst();
    if (rejected.isPresent()) {
      return Optional.of(
          new Failure("config_rejected", "Proxy " + rejected.get().getProxyId() + ": " + rejected.get().getError()));
    }
    boolean anyListening = reports.stream().anyMatch(ListenerReport::getListening);
    if (anyListening || reports.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Failure(
            "port_unavailable",
            "No proxy could listen on port " + session.config().listenPort() + ": " + reports.get(0).getError()));
  }

  /** A start that failed at the pods: the error code and its message. */
  record Failure(String error, String message) {}

  /**
   * The connected proxy pods; when none is (right after a control-service restart, before the
   * pods' watches reconnect, which they do within a second), waits up to the listen timeout for
   * one, so that a session started then listens when start returns.
   */
  private Set<String> connectedProxies() {
    long deadline = System.nanoTime() + listenTimeout.toNanos();
    Set<String> proxies = broadcast.connectedProxies();
    while (proxies.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      proxies = broadcast.connectedProxies();
    }
    return proxies;
  }
}
