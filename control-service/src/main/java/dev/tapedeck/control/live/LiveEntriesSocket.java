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
 * eviction. The handshake needs a key ({@link WebSocketKeyCheck} answers 401 without one); a
 * session the caller may not see closes the socket with code 4404.
 */
@WebSocket(path = "/api/v1/recorder/{id}/ws")
public class LiveEntriesSocket {
  private static final Logger LOG = Logger.getLogger(LiveEntriesSocket.class);
  private static final Map<String, Runnable> UNSUBSCRIBE = new ConcurrentHashMap<>();

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
    Runnable unsubscribe =
        subscribers.subscribe(
            sessionId,
            message ->
                connection
                    .sendText(message)
                    .subscribe()
                    .with(v -> {}, t -> LOG.debugf("Live message not delivered: %s", t.getMessage())));
    UNSUBSCRIBE.put(connection.id(), unsubscribe);
  }

  @OnClose
  public void close(WebSocketConnection connection) {
    Runnable unsubscribe = UNSUBSCRIBE.remove(connection.id());
    if (unsubscribe != null) {
      unsubscribe.run();
    }
  }
}
