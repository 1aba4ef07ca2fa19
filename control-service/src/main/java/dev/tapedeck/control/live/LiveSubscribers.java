package dev.tapedeck.control.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who listens live to which session: WebSocket connections and SSE streams alike. Each subscriber
 * has a queue of at most {@code tapedeck.live.queue-size} messages not yet taken by its
 * connection; a subscriber that lets it overflow (a client that does not read) is dropped with a
 * closing message rather than buffered for, so a live stream never holds more than that.
 */
@ApplicationScoped
public class LiveSubscribers {
  private static final Logger LOG = Logger.getLogger(LiveSubscribers.class);

  private final Map<String, Set<Subscriber>> bySession = new ConcurrentHashMap<>();
  private final int queueSize;
  private final Counter dropped;

  public LiveSubscribers(
      @ConfigProperty(name = "tapedeck.live.queue-size") int queueSize, MeterRegistry metrics) {
    this.queueSize = queueSize;
    this.dropped =
        Counter.builder("tapedeck_live_subscribers_dropped")
            .description("Live stream subscribers dropped because they did not read their messages")
            .register(metrics);
  }

  /** The most messages a subscriber may leave unread. */
  public int queueSize() {
    return queueSize;
  }

  /** Subscribes; the returned handle unsubscribes. */
  public Runnable subscribe(String sessionId, Subscriber subscriber) {
    subscriber.attach(queueSize, () -> {
      dropped.increment();
      LOG.infof("Dropped a live subscriber of session %s: more than %d messages unread", sessionId, queueSize);
      unsubscribe(sessionId, subscriber);
    });
    bySession.computeIfAbsent(sessionId, id -> new CopyOnWriteArraySet<>()).add(subscriber);
    return () -> unsubscribe(sessionId, subscriber);
  }

  private void unsubscribe(String sessionId, Subscriber subscriber) {
    bySession.computeIfPresent(
        sessionId,
        (id, set) -> {
          set.remove(subscriber);
          return set.isEmpty() ? null : set;
        });
  }

  public boolean hasSubscribers(String sessionId) {
    return bySession.containsKey(sessionId);
  }

  /** Whether anyone listens to any session. */
  public boolean anyone() {
    return !bySession.isEmpty();
  }

  /** Queues one message for every subscriber of the session. */
  public void publish(String sessionId, String message) {
    Set<Subscriber> subscribers = bySession.get(sessionId);
    if (subscribers != null) {
      subscribers.forEach(s -> s.offer(message));
    }
  }

  /**
   * One live connection: messages wait in a bounded queue until {@link #ready()} says the
   * connection takes the next one. Implementations call {@link #pump()} when it becomes ready again.
   */
  public abstract static class Subscriber {
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private int capacity = Integer.MAX_VALUE;
    private Runnable onDrop = () -> {};
    private boolean closed;

    private synchronized void attach(int capacity, Runnable onDrop) {
      this.capacity = capacity;
      this.onDrop = onDrop;
    }

    /** Whether the connection takes another message now. */
    protected abstract boolean ready();

    /** Hands one message to the connection; called only when {@link #ready()}. */
    protected abstract void deliver(String message);

    /** Ends the connection because it fell more than {@code capacity} messages behind. */
    protected abstract void drop(int capacity);

    final synchronized void offer(String message) {
      if (closed) {
        return;
      }
      queue.add(message);
      pump();
      if (queue.size() > capacity) {
        closed = true;
        queue.clear();
        onDrop.run();
        drop(capacity);
      }
    }

    /** Sends queued messages while the connection takes them. */
    protected final synchronized void pump() {
      while (!closed && !queue.isEmpty() && ready()) {
        deliver(queue.poll());
      }
    }

    /** Messages waiting; for tests. */
    synchronized int queued() {
      return queue.size();
    }

    synchronized boolean closed() {
      return closed;
    }
  }
}
