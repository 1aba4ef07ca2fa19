package dev.tapedeck.control.watch;

import dev.tapedeck.proto.control.v1.ListenerReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each proxy pod reported about each session's listener, so that {@code start} can answer
 * once the port is really open (or say why it could not be).
 */
@ApplicationScoped
public class ListenerReports {
  private final Map<String, Map<String, ListenerReport>> bySession = new ConcurrentHashMap<>();

  void record(ListenerReport report) {
    Map<String, ListenerReport> reports =
        bySession.computeIfAbsent(report.getSessionId(), id -> new ConcurrentHashMap<>());
    synchronized (reports) {
      reports.put(report.getProxyId(), report);
      reports.notifyAll();
    }
  }

  /**
   * Waits until each of {@code proxies} has reported on the session's listener, or the timeout
   * passes; returns the reports received.
   */
  public List<ListenerReport> await(String sessionId, Set<String> proxies, Duration timeout)
      throws InterruptedException {
    Map<String, ListenerReport> reports =
        bySession.computeIfAbsent(sessionId, id -> new ConcurrentHashMap<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (reports) {
      while (!reports.keySet().containsAll(proxies)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        reports.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(new HashMap<>(reports).values());
    }
  }

  /**
   * Seconds the session's new requests were held back by capture back-pressure, summed over the
   * pods (each reports its own, cumulative).
   */
  public double backpressureSeconds(String sessionId) {
    Map<String, ListenerReport> reports = bySession.get(sessionId);
    if (reports == null) {
      return 0;
    }
    synchronized (reports) {
      return reports.values().stream().mapToDouble(ListenerReport::getBackpressureSeconds).sum();
    }
  }

  /** Forgets a session's reports, before it is (re)started and once it is deleted. */
  public void clear(String sessionId) {
    bySession.remove(sessionId);
  }
}
