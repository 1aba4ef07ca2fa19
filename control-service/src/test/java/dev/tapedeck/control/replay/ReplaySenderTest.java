package dev.tapedeck.control.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.correlation.Step.Header;
import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replay sender against a real local server: bounds, redirects, and the egress policy. */
class ReplaySenderTest {
  private static Vertx vertx;
  private static UpstreamServer upstream;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream =
        UpstreamServer.start()
            .route("GET", "/big", req -> UpstreamResponse.text(200, "x".repeat(5000)))
            .route("GET", "/slow", req -> UpstreamResponse.text(200, "late").withDelay(Duration.ofSeconds(3)))
            .route("GET", "/hop", req -> UpstreamResponse.status(302).withHeader("Location", "/echo"))
            .route("GET", "/echo", req -> UpstreamResponse.text(200, "auth=" + req.header("Authorization").orElse("none")));
  }

  @AfterAll
  static void stop() {
    upstream.close();
    vertx.close();
  }

  private final List<ReplaySender> senders = new java.util.ArrayList<>();

  @AfterEach
  void closeSenders() {
    senders.forEach(ReplaySender::close);
  }

  private ReplaySender sender(EgressPolicy policy, int maxBody) {
    ReplaySender sender = new ReplaySender(vertx, new ReplayEgress(policy), new ReplayLimits(1000, 10, 60, maxBody, 2, 8, 100));
    senders.add(sender);
    return sender;
  }

  private static ReplaySender.Outgoing get(String path, List<Header> headers) {
    return new ReplaySender.Outgoing("GET", URI.create(upstream.url() + path), headers, null);
  }

  @Test
  void keepsAtMostTheBodyLimitAndSaysItWasTruncated() {
    ReplaySender.Answer a = sender(EgressPolicy.OPEN, 1024).send(get("/big", List.of()), 5, false);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).hasSize(1024);
    assertThat(a.truncated()).isTrue();
  }

  @Test
  void aSlowAnswerFailsAtTheTimeout() {
    long start = System.nanoTime();
    ReplaySender.Answer a = sender(EgressPolicy.OPEN, 1024).send(get("/slow", List.of()), 1, false);
    assertThat(a.error()).contains("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void followsRedirectsOnlyWhenAskedKeepingCredentialsOnTheSameOrigin() {
    List<Header> auth = List.of(new Header("Authorization", "Bearer t"));
    ReplaySender.Answer first = sender(EgressPolicy.OPEN, 1024).send(get("/hop", auth), 5, false);
    assertThat(first.status()).as(first.error()).isEqualTo(302);
    ReplaySender.Answer followed = sender(EgressPolicy.OPEN, 1024).send(get("/hop", auth), 5, true);
    assertThat(followed.status()).as(followed.error()).isEqualTo(200);
    assertThat(new String(followed.body())).isEqualTo("auth=Bearer t");
  }

  /**
   * Quick answers on a pooled connection, one after another: each must come back, however soon
   * after the request it is complete. Before the exchange ran wholly on an event loop, an answer
   * complete before this thread had set its handlers was lost and waited out the timeout (about
   * one in twenty with the cores busy).
   */
  @Test
  void everyQuickAnswerOnAPooledConnectionComesBack() {
    ReplaySender sender = sender(EgressPolicy.OPEN, 1024);
    long slow = 0;
    for (int i = 0; i < 300; i++) {
      ReplaySender.Answer a = sender.send(get("/echo", List.of()), 1, false);
      assertThat(a.status()).as("request %d: %s", i, a.error()).isEqualTo(200);
      slow += a.durationMs() > 500 ? 1 : 0;
    }
    assertThat(slow).isZero();
  }

  @Test
  void theSessionsEgressPolicyRefusesLoopbackByAddressAndByName() {
    EgressPolicy internal =
        EgressPolicy.of(List.of(), List.copyOf(EgressPolicy.INTERNAL_RANGES.keySet()), List.of(), List.of(), "*");
    ReplaySender.Answer a = sender(internal, 1024).send(get("/echo", List.of()), 5, false);
    assertThat(a.status()).isZero();
    assertThat(a.error()).contains("refused by the egress policy", "loopback");
    ReplaySender.Answer byName =
        sender(internal, 1024).send(new ReplaySender.Outgoing("GET", URI.create("http://localhost:1/x"), List.of(), null), 5, false);
    assertThat(byName.error()).contains("refused by the egress policy");
    assertThat(upstream.requests()).noneMatch(r -> r.path().equals("/x"));
    assertThat(new ReplayEgress(internal).checkLiteral(URI.create("http://169.254.169.254/latest"))).isPresent();
    assertThat(new ReplayEgress(internal).checkLiteral(URI.create("http://example.com/"))).isEmpty();
  }

  /**
   * A server that closes each connection as soon as a request has come in on it, answering
   * nothing, as a server whose keep-alive timeout expires just as a request arrives does.
   */
  @Test
  void anIdempotentRequestOnAConnectionClosedWithoutAnAnswerIsSentOnceMoreAndOtherMethodsAreNot() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try {
            java.net.Socket socket = server.accept();
            Thread.ofVirtual().start(() -> hangUpAfterTheRequest(socket, requests));
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      ReplaySender sender = sender(EgressPolicy.OPEN, 1024);
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");
      ReplaySender.Answer get = sender.send(new ReplaySender.Outgoing("GET", url, List.of(), null), 5, false);
      assertThat(get.status()).isZero();
      assertThat(get.error()).contains("closed");
      assertThat(requests).hasValue(2);
      // A new sender: nothing pooled that the server closed.
      ReplaySender.Answer post = sender(EgressPolicy.OPEN, 1024).send(new ReplaySender.Outgoing("POST", url, List.of(), "{}".getBytes()), 5, false);
      assertThat(post.status()).isZero();
      assertThat(post.error()).contains("closed");
      assertThat(requests).hasValue(3);
    }
  }

  private static void hangUpAfterTheRequest(java.net.Socket socket, java.util.concurrent.atomic.AtomicInteger requests) {
    try (socket) {
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
      int contentLength = 0;
      String line = in.readLine();
      if (line == null) {
        return;
      }
      requests.incrementAndGet();
      // The whole request is read, so that closing sends a FIN, not a reset for unread bytes.
      for (line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          contentLength = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.skip(contentLength);
    } catch (java.io.IOException e) {
      // the client went away
    }
  }
}
