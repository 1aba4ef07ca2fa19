package dev.tapedeck.control.live;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/** Who listens live to which session: WebSocket connections and SSE streams alike. */
@ApplicationScoped
public class LiveSubscribers {
  private final Map<String, Set<Consumer<String>>> bySession = new ConcurrentHashMap<>();

  /** Subscribes; the returned handle unsubscribes. */
  public Runnable subscribe(String sessionId, Consumer<String> subscriber) {
    bySession.computeIfAbsent(sessionId, id -> new CopyOnWriteArraySet<>()).add(subscriber);
    return () ->
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

  /** Sends one message to every subscriber of the session. */
  public void publish(String sessionId, String message) {
    Set<Consumer<String>> subscribers = bySession.get(sessionId);
    if (subscribers != null) {
      subscribers.forEach(s -> s.accept(message));
    }
  }
}
