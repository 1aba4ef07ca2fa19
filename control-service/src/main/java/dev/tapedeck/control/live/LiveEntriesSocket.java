package dev.tapedeck.control.live;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.KeyAuthenticator;
import dev.tapedeck.control.session.SessionService;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/recorder/{id}/ws}: each entry of the session as it is stored, and each
 * eviction, as summaries. The handshake needs a key ({@link WebSocketKeyCheck} answers 401 without
 * one); a session the caller may not see closes the socket with code 4404; a client that leaves
 * more than {@code tapedeck.live.queue-size} messages unread is closed with code 1008 and a reason
 * starting {@code slow_consumer}.
 */
@WebSocket(path = "/api/v1/recorder/{id}/ws")
public class LiveEntriesSocket {
  private static final Logger LOG = Logger.getLogger(LiveEntriesSocket.class);
  private static final Map<String, Runnable> UNSUBSCRIBE = new ConcurrentHashMap<>();
  /** The close code of a connection dropped for not reading (1008, policy violation). */
  static final int SLOW_CONSUMER = 1008;

  private final LiveSubscribers subscribers;
  private final SessionService sessions;
  private final KeyAuthenticator authenticator;

  public LiveEntriesSocket(
      LiveSubscribers subscribers, SessionService sessions, KeyAuthenticator authenticator) {
    this.subscribers = subscribers;
    this.sessions = sessions;
    this.authenticator = authenticator;
  }

  @OnOpen
  public void open(WebSocketConnection connection) {
    String sessionId = connection.pathParam("id");
    HandshakeRequest handshake = connection.handshakeRequest();
    Optional<Caller> caller = authenticator.authenticate(WebSocketKeyCheck.presentedKey(handshake));
    try {
      sessions.get(caller.orElseThrow(() -> ApiException.notFound("Session " + sessionId)), sessionId);
    } catch (ApiException e) {
      connection.close(new CloseReason(4404, e.getMessage())).subscribe().with(v -> {}, t -> {});
      return;
    }
    Runnable unsubscribe = subscribers.subscribe(sessionId, new SocketSubscriber(connection));
    UNSUBSCRIBE.put(connection.id(), unsubscribe);
  }

  /**
   * One message on the wire at a time: the next is sent when the previous one is written to the
   * socket, so a client that does not read leaves messages in the bounded queue, not in memory.
   */
  private static final class SocketSubscriber extends LiveSubscribers.Subscriber {
    private final WebSocketConnection connection;
    private boolean sending;

    SocketSubscriber(WebSocketConnection connection) {
      this.connection = connection;
    }

    @Override
    protected boolean ready() {
      return !sending && connection.isOpen();
    }

    @Override
    protected void deliver(String message) {
      sending = true;
      connection
          .sendText(message)
          .subscribe()
          .with(
              v -> sent(),
              t -> LOG.debugf("Live message not delivered: %s", t.getMessage()));
    }

    private synchronized void sent() {
      sending = false;
      pump();
    }

    @Override
    protected void drop(int capacity) {
      connection
          .close(new CloseReason(SLOW_CONSUMER, LiveMessages.slowConsumerText(capacity)))
          .subscribe()
          .with(v -> {}, t -> {});
    }
  }

  @OnClose
  public void close(WebSocketConnection connection) {
    Runnable unsubscribe = UNSUBSCRIBE.remove(connection.id());
    if (unsubscribe != null) {
      unsubscribe.run();
    }
  }
}
