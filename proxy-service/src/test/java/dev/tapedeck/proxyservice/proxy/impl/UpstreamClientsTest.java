package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.policy.Transport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamClientsTest {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final UpstreamClients clients = new UpstreamClients(vertx, Transport.DIRECT);

  @AfterEach
  void close() {
    clients.close();
    vertx.close();
  }

  @Test
  void eachEventLoopHasItsOwnClientSoItsConnectionsStayOnIt() throws Exception {
    // Two contexts on the two event loops, as two client connections accepted on them have.
    Context first = ((VertxInternal) vertx).createEventLoopContext();
    Context second = ((VertxInternal) vertx).createEventLoopContext();
    HttpClient onFirst = on(first);
    assertThat(on(first)).isSameAs(onFirst);
    assertThat(on(second)).isNotSameAs(onFirst);
  }

  @Test
  void http2ClientsAreApartFromHttp1Clients() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<HttpClient[]> both = new CompletableFuture<>();
    context.runOnContext(
        v -> both.complete(
            new HttpClient[] {clients.forRequest(HttpVersion.HTTP_1_1, false), clients.forRequest(HttpVersion.HTTP_2, false)}));
    HttpClient[] made = both.get(5, TimeUnit.SECONDS);
    assertThat(made[0]).isNotSameAs(made[1]);
  }

  private HttpClient on(Context context) throws Exception {
    CompletableFuture<HttpClient> client = new CompletableFuture<>();
    context.runOnContext(v -> client.complete(clients.forRequest(HttpVersion.HTTP_1_1, false)));
    return client.get(5, TimeUnit.SECONDS);
  }
}
