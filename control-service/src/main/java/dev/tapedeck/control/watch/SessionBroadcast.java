package dev.tapedeck.control.watch;

import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proto.control.v1.SessionSnapshot;
import dev.tapedeck.proto.control.v1.SessionUpdate;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The running-session set as proxy pods see it, and the open watch streams. A new watcher gets a
 * snapshot and every later change; both happen under one lock, so no change falls between them.
 */
@ApplicationScoped
public class SessionBroadcast {
  private final Object lock = new Object();
  private final Map<String, ProxySession> running = new LinkedHashMap<>();
  private final Map<MultiEmitter<? super SessionUpdate>, String> watchers = new LinkedHashMap<>();

  /** Registers a watcher and sends it the current snapshot. */
  void subscribe(String proxyId, MultiEmitter<? super SessionUpdate> emitter) {
    synchronized (lock) {
      watchers.put(emitter, proxyId);
      emitter.emit(
          SessionUpdate.newBuilder()
              .setSnapshot(SessionSnapshot.newBuilder().addAllSessions(running.values()))
              .build());
    }
    emitter.onTermination(
        () -> {
          synchronized (lock) {
            watchers.remove(emitter);
          }
        });
  }

  /** A session started or changed: every watcher opens or reconfigures its listener. */
  public void upsert(ProxySession session) {
    synchronized (lock) {
      running.put(session.getId(), session);
      broadcast(SessionUpdate.newBuilder().setUpsert(session).build());
    }
  }

  /** A session stopped or was deleted: every watcher closes its listener. */
  public void remove(String sessionId) {
    synchronized (lock) {
      if (running.remove(sessionId) != null) {
        broadcast(SessionUpdate.newBuilder().setRemovedSessionId(sessionId).build());
      }
    }
  }

  /** The proxy ids with an open watch stream. */
  public Set<String> connectedProxies() {
    synchronized (lock) {
      return Set.copyOf(watchers.values());
    }
  }

  private void broadcast(SessionUpdate update) {
    watchers.keySet().forEach(emitter -> emitter.emit(update));
  }
}
