package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.StartedSessions;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live policy updates against the running processes: on a running reverse session, each of
 * {@code PUT /filters}, {@code /toxics} (in Mockarty's flat form), {@code /network-profile} and
 * {@code /record} changes what the proxy does within a second, on one keep-alive client
 * connection that stays open throughout (one socket, every request answered on it). And a session
 * started with flat toxics applies them as its http toxics.
 */
class LivePoliciesIT {
  private static final Duration WITHIN = Duration.ofSeconds(1);

  private static UpstreamServer upstream;
  private static ApiClient api;
  private final StartedSessions started = new StartedSessions();

  @BeforeAll
  static void start() {
    upstream = UpstreamServer.start();
    for (String path : List.of("/kept", "/skip", "/quiet", "/marker", "/slow", "/fast")) {
      upstream.route("GET", path, req -> UpstreamResponse.text(200, "at " + path));
    }
    api = ApiClient.admin(TapedeckSystem.shared());
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @AfterEach
  void stopSessions() throws Exception {
    started.deleteAll(api);
  }

  @Test
  void eachLiveUpdateChangesBehaviourWithinASecondOnTheSameConnection() throws Exception {
    JsonNode session = start("{\"targetUrl\":\"" + upstream.url() + "\"}");
    String id = session.get("id").asText();
    try (KeepAlive conn = new KeepAlive(session.get("listenPort").asInt())) {
      assertThat(conn.get("/kept")).isEqualTo("at /kept");
      assertThat(conn.get("/skip")).isEqualTo("at /skip");
      api.awaitEntryTotal(id, 2, Duration.ofSeconds(20));

      // Filters: /skip stops being recorded; the rest still is.
      put(id, "filters", "{\"filters\":{\"excludePaths\":[\"/skip\"]}}");
      Thread.sleep(WITHIN.toMillis());
      assertThat(conn.get("/skip")).isEqualTo("at /skip");
      assertThat(conn.get("/marker")).isEqualTo("at /marker");
      api.awaitEntryTotal(id, 3, Duration.ofSeconds(20));
      assertThat(paths(id)).containsExactly("/kept", "/skip", "/marker");

      // Toxics, flat as Mockarty writes them: the next requests take at least delayMs.
      put(id, "toxics", "{\"toxics\":{\"delayMs\":300}}");
      assertThat(millisUntil(conn, "/slow", ms -> ms >= 300)).isLessThan(WITHIN.toMillis() + 300);
      assertThat(timed(conn, "/slow")).isGreaterThanOrEqualTo(300);
      put(id, "toxics", "{\"toxics\":{}}");
      assertThat(millisUntil(conn, "/fast", ms -> ms < 250)).isLessThan(WITHIN.toMillis() + 300);

      // Network profile: its latency delays each request; null removes it.
      put(id, "network-profile", "{\"networkProfile\":{\"latencyMs\":400}}");
      assertThat(millisUntil(conn, "/slow", ms -> ms >= 400)).isLessThan(WITHIN.toMillis() + 400);
      put(id, "network-profile", "{\"networkProfile\":null}");
      assertThat(millisUntil(conn, "/fast", ms -> ms < 250)).isLessThan(WITHIN.toMillis() + 400);

      // Record off: requests pass through unrecorded; on again, they are recorded again.
      // Every request so far but the /skip after the filter update is recorded; wait for them all.
      long recorded = conn.requests() - 1;
      api.awaitEntryTotal(id, recorded, Duration.ofSeconds(20));
      put(id, "record", "{\"record\":false}");
      Thread.sleep(WITHIN.toMillis());
      assertThat(conn.get("/quiet")).isEqualTo("at /quiet");
      put(id, "record", "{\"record\":true}");
      Thread.sleep(WITHIN.toMillis());
      assertThat(conn.get("/marker")).isEqualTo("at /marker");
      api.awaitEntryTotal(id, recorded + 1, Duration.ofSeconds(20));
      assertThat(paths(id)).doesNotContain("/quiet").endsWith("/marker");

      assertThat(conn.requests()).as("every request went over the one connection").isGreaterThan(10);
      assertThat(conn.isOpen()).as("the proxy kept the connection open").isTrue();
    }
  }

  @Test
  void aSessionStartedWithFlatToxicsDelaysItsRequests() throws Exception {
    JsonNode session = start("{\"targetUrl\":\"" + upstream.url() + "\",\"toxics\":{\"delayMs\":200}}");
    assertThat(session.at("/toxics/http/delayMs").asInt()).as("stored in the nested form").isEqualTo(200);
    assertThat(session.at("/toxics/delayMs").isMissingNode()).isTrue();
    try (KeepAlive conn = new KeepAlive(session.get("listenPort").asInt())) {
      assertThat(timed(conn, "/slow")).isGreaterThanOrEqualTo(200);
    }
    assertThat(api.call("GET", "/api/v1/recorder/" + session.get("id").asText() + "/toxics", null, 200)
            .at("/toxics/http/delayMs").asInt())
        .isEqualTo(200);
  }

  private JsonNode start(String body) throws Exception {
    return started.start(api, body);
  }

  private static void put(String id, String what, String body) throws Exception {
    api.call("PUT", "/api/v1/recorder/" + id + "/" + what, body, 200);
  }

  private static List<String> paths(String id) throws Exception {
    List<String> paths = new ArrayList<>();
    for (JsonNode e : api.call("GET", "/api/v1/recorder/" + id + "/entries", null, 200).get("entries")) {
      String url = e.at("/request/url").asText();
      paths.add(url.substring(url.indexOf('/', "http://".length())));
    }
    return paths;
  }

  /** Milliseconds one GET took on {@code conn}. */
  private static long timed(KeepAlive conn, String path) throws IOException {
    long t0 = System.nanoTime();
    conn.get(path);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * Sends GETs on {@code conn} until one's duration satisfies {@code done}; returns the
   * milliseconds from the first send to the start of that request, or fails after 5 s.
   */
  private static long millisUntil(KeepAlive conn, String path, java.util.function.LongPredicate done)
      throws IOException {
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 5_000_000_000L) {
      long sent = System.nanoTime();
      if (done.test(timed(conn, path))) {
        return (sent - t0) / 1_000_000;
      }
    }
    throw new AssertionError("the proxy did not change " + path + " within 5 s");
  }

  /**
   * One HTTP/1.1 keep-alive connection on a plain socket: each request goes out on it and its
   * answer is read off it, so a connection the proxy closed fails the next request.
   */
  private static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final int port;
    private int requests;

    KeepAlive(int port) throws IOException {
      this.port = port;
      this.socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream());
    }

    String get(String path) throws IOException {
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      assertThat(status).as("status line of " + path).startsWith("HTTP/1.1 200");
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String h = header.toLowerCase(Locale.ROOT);
        if (h.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
          chunked = true;
        } else if (h.startsWith("connection:") && h.contains("close")) {
          close = true;
        }
      }
      assertThat(close).as("the proxy asked to close the connection after " + path).isFalse();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          body.write(in.readNBytes(size));
          line();
        }
        line();
      } else if (length >= 0) {
        body.write(in.readNBytes((int) length));
      }
      requests++;
      return body.toString(StandardCharsets.UTF_8);
    }

    int requests() {
      return requests;
    }

    /** Whether the peer has not closed: nothing to read within 100 ms, and no end of stream. */
    boolean isOpen() throws IOException {
      socket.setSoTimeout(100);
      try {
        return in.read() != -1;
      } catch (java.net.SocketTimeoutException e) {
        return true;
      } finally {
        socket.setSoTimeout(10_000);
      }
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b == -1) {
          throw new IOException("the proxy closed the connection");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
