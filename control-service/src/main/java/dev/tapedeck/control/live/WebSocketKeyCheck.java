package dev.tapedeck.control.live;

import dev.tapedeck.control.auth.KeyAuthenticator;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket handshake follows the REST rules: no valid key, no upgrade (401). The key may be
 * given as {@code ?api_key=}, since browsers cannot set headers on a WebSocket.
 */
@ApplicationScoped
public class WebSocketKeyCheck implements HttpUpgradeCheck {
  private final KeyAuthenticator authenticator;

  public WebSocketKeyCheck(KeyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    HttpServerRequest request = context.httpRequest();
    String presented =
        KeyAuthenticator.presentedKey(
            request.getHeader("Authorization"), request.getHeader("X-API-Key"), request.getParam("api_key"));
    // A user key may need a database lookup: keep it off the event loop.
    return Uni.createFrom()
        .item(() -> authenticator.authenticate(presented).isPresent())
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(ok -> ok ? CheckResult.permitUpgradeSync() : CheckResult.rejectUpgradeSync(401));
  }

  static String presentedKey(HandshakeRequest handshake) {
    return KeyAuthenticator.presentedKey(
        handshake.header("Authorization"), handshake.header("X-API-Key"), queryParam(handshake.query(), "api_key"));
  }

  private static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
