package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * control-service's resource bounds and key handling against the running system, with control
 * restarted on small limits (and back to its defaults after): per-route body limits, HAR import
 * caps, a revoked key under concurrent use, a live-stream client that never reads, and an access
 * log that never holds an {@code ?api_key=}.
 */
class ControlHardeningIT {
  /** HTTP/1.1: chunked uploads, long request lines, and the access log's protocol field. */
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int QUEUE = 4;
  private static TapedeckSystem system;
  private static ApiClient api;

  @BeforeAll
  static void restartControlWithSmallLimits() {
    system = TapedeckSystem.shared();
    ServiceProcess control = system.service("control");
    control.restartWith(
        Map.of(
            "TAPEDECK_LIVE_QUEUE_SIZE", Integer.toString(QUEUE),
            "TAPEDECK_HTTP_LIMITS_JSON_BODY", "64K",
            "TAPEDECK_IMPORTS_MAX_ENTRIES_PER_SESSION", "5",
            "TAPEDECK_IMPORTS_MAX_ENTRY_BYTES", "32K",
            "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true"));
    control.awaitReady(Duration.ofSeconds(60));
    api = ApiClient.admin(system);
  }

  @AfterAll
  static void restoreControl() {
    ServiceProcess control = system.service("control");
    control.restart();
    control.awaitReady(Duration.ofSeconds(60));
  }

  @Test
  void oversizedJsonBodiesAreRefusedWith413NamingTheLimit() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(100_000) + "\",\"targetUrl\":\"http://127.0.0.1:1\"}";
    HttpResponse<String> tooLarge = api.send("POST", "/api/v1/recorder/start", big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tooLarge.body());
    assertThat(error.get("error").asText()).isEqualTo("body_too_large");
    assertThat(error.get("message").asText()).contains("64 KiB", "tapedeck.http.limits.json-body");

    HttpResponse<String> chunked =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/configs"))
                .header("Authorization", "Bearer " + system.adminKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(411);
    assertThat(chunked.body()).contains("length_required", "64 KiB");

    // Within the limit, the same route works.
    api.call("POST", "/api/v1/recorder/configs", "{\"name\":\"small\",\"targetUrl\":\"http://127.0.0.1:1\"}", 201);
  }

  @Test
  void harImportBeyondTheCapsIsRefusedAndRecordedEntriesStay() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/r", req -> UpstreamResponse.text(200, "recorded"))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
      String id = session.get("id").asText();
      for (int i = 0; i < 3; i++) {
        get(session.get("listenPort").asInt(), "/r?i=" + i);
      }
      api.awaitEntryTotal(id, 3, Duration.ofSeconds(20));
      api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
      List<String> before = entryIds(id);

      HttpResponse<String> refused =
          api.postMultipart("/api/v1/recorder/import", Map.of("sessionId", id), "three.har", har(3, 0));
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).contains("entry_limit", "holds 3", "at most 5", "never evicts");
      assertThat(entryIds(id)).as("nothing recorded was lost or added").isEqualTo(before);

      HttpResponse<String> oneTooBig =
          api.postMultipart("/api/v1/recorder/import", Map.of("name", "capped"), "big.har", har(3, 1));
      assertThat(oneTooBig.statusCode()).isEqualTo(201);
      JsonNode outcome = new com.fasterxml.jackson.databind.ObjectMapper().readTree(oneTooBig.body());
      assertThat(outcome.get("imported").asLong()).isEqualTo(2);
      assertThat(outcome.get("failed").asInt()).isEqualTo(1);
      assertThat(outcome.get("errors").get(0).get("index").asInt()).isEqualTo(1);
      assertThat(outcome.get("errors").get(0).get("message").asText()).contains("per-entry cap");

      HttpResponse<String> tooMany =
          api.postMultipart("/api/v1/recorder/import", Map.of("name", "many"), "many.har", har(6, 0));
      assertThat(tooMany.statusCode()).isEqualTo(409);
      assertThat(tooMany.body()).contains("The file holds 6 entries");
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
      api.call("DELETE", "/api/v1/recorder/" + outcome.get("session").get("id").asText(), null, 200);
    }
  }

  @Test
  void aDeletedUsersKeyIsRefusedRightAfterTheDeleteEvenUnderConcurrentUse() throws Exception {
    JsonNode created = api.call("POST", "/api/v1/admin/users", "{\"name\":\"revoked-under-load\"}", 201);
    String key = created.get("apiKey").asText();
    ApiClient user = api.withKey(key);
    AtomicBoolean deleted = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> lateAccepts = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      callers.add(
          Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
              boolean afterDelete = deleted.get();
              try {
                int status = user.send("GET", "/api/v1/recorder/sessions", null).statusCode();
                if (afterDelete && status != 401) {
                  lateAccepts.add("status " + status);
                }
              } catch (Exception e) {
                lateAccepts.add(e.toString());
              }
            }
          }));
    }
    Thread.sleep(500); // the key is in use and cached
    api.call("DELETE", "/api/v1/admin/users/" + created.get("user").get("id").asText(), null, 200);
    deleted.set(true);
    Thread.sleep(1500);
    stop.set(true);
    for (Thread t : callers) {
      t.join();
    }
    assertThat(lateAccepts).as("calls that started after the delete returned").isEmpty();
    assertThat(user.send("GET", "/api/v1/recorder/sessions", null).statusCode()).isEqualTo(401);
  }

  @Test
  void liveClientsThatNeverReadAreDroppedWithAClosingMessage() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/live", req -> UpstreamResponse.text(200, "ok"))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
      String id = session.get("id").asText();
      int port = session.get("listenPort").asInt();
      double droppedBefore = droppedSubscribers();
      URI control = URI.create(system.controlUrl());

      try (Socket ws = new Socket();
          Socket sse = new Socket()) {
        for (Socket socket : List.of(ws, sse)) {
          socket.setReceiveBufferSize(4096);
          socket.connect(new InetSocketAddress(control.getHost(), control.getPort()), 5_000);
        }
        handshake(ws, control, "/api/v1/recorder/" + id + "/ws");
        sse.getOutputStream().write(
            ("GET /api/v1/recorder/" + id + "/events HTTP/1.1\r\nHost: " + control.getHost() + ":" + control.getPort()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + system.adminKey() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(1000); // both subscribed
        // From here on neither client reads. Long URLs make each live message large, so the
        // socket buffers between us fill after a few hundred entries.
        String padding = "p".repeat(12_000);
        int sent = 0;
        while (droppedSubscribers() < droppedBefore + 2 && sent < 3_000) {
          for (int i = 0; i < 100; i++, sent++) {
            get(port, "/live?n=" + sent + "&pad=" + padding);
          }
          Thread.sleep(500);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (droppedSubscribers() < droppedBefore + 2 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(droppedSubscribers()).as("control dropped both subscribers").isEqualTo(droppedBefore + 2);

        // Reading now: the messages the buffers held, then what says why it ended.
        ws.setSoTimeout(30_000);
        Close close = readUntilClose(new DataInputStream(ws.getInputStream()));
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).startsWith("slow_consumer").contains("more than " + QUEUE);
        sse.setSoTimeout(30_000);
        assertThat(readUntil(sse.getInputStream(), "\"reason\":\"slow_consumer\""))
            .as("the last SSE event says why").isTrue();
      }
      api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  /** Reads until {@code marker} has passed, keeping only a short tail; false at the end of the stream. */
  private static boolean readUntil(InputStream in, String marker) throws Exception {
    byte[] buffer = new byte[65536];
    StringBuilder tail = new StringBuilder();
    int n;
    while ((n = in.read(buffer)) >= 0) {
      tail.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      if (tail.indexOf(marker) >= 0) {
        return true;
      }
      if (tail.length() > 4 * marker.length()) {
        tail.delete(0, tail.length() - marker.length());
      }
    }
    return false;
  }

  @Test
  void theAccessLogNeverHoldsAQueryApiKey() throws Exception {
    HttpResponse<String> ok =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(system.controlUrl() + "/api/v1/recorder/sessions?api_key=" + system.adminKey()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    Thread.sleep(500);
    String log = Files.readString(system.service("control").logFile());
    assertThat(log).as("the access log is on").contains("GET /api/v1/recorder/sessions HTTP/1.1\" 200");
    assertThat(log).doesNotContain(system.adminKey()).doesNotContain("api_key=");
  }

  private record Close(int code, String reason) {}

  private static void handshake(Socket socket, URI control, String path) throws Exception {
    byte[] nonce = new byte[16];
    new java.security.SecureRandom().nextBytes(nonce);
    String request =
        "GET " + path + " HTTP/1.1\r\n"
            + "Host: " + control.getHost() + ":" + control.getPort() + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer " + system.adminKey() + "\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("no handshake answer: " + head);
      }
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
  }

  private static Close readUntilClose(DataInputStream in) throws Exception {
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      if ((first & 0x0F) == 0x8) {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        return new Close(code, reason);
      }
    }
  }

  private static double droppedSubscribers() throws Exception {
    String metrics =
        CLIENT.send(
                HttpRequest.newBuilder(URI.create(system.controlUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^tapedeck_live_subscribers_dropped_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static List<String> entryIds(String id) throws Exception {
    List<String> ids = new ArrayList<>();
    api.call("GET", "/api/v1/recorder/" + id + "/entries?limit=100", null, 200).get("entries")
        .forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }

  /** A HAR with {@code count} entries; entry 1 is over 32 KiB when {@code oversized} is 1. */
  private static byte[] har(int count, int oversized) {
    StringBuilder har = new StringBuilder("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"it\",\"version\":\"1\"},\"entries\":[");
    for (int i = 0; i < count; i++) {
      String body = oversized == 1 && i == 1 ? "y".repeat(40_000) : "hello " + i;
      har.append(i == 0 ? "" : ",")
          .append("{\"startedDateTime\":\"2026-01-01T00:00:0").append(i % 10).append(".000Z\",\"time\":5,")
          .append("\"request\":{\"method\":\"GET\",\"url\":\"http://imported.example/").append(i)
          .append("\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[]},")
          .append("\"response\":{\"status\":200,\"statusText\":\"OK\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],")
          .append("\"content\":{\"size\":").append(body.length()).append(",\"mimeType\":\"text/plain\",\"text\":\"")
          .append(body).append("\"}},\"timings\":{\"send\":1,\"wait\":3,\"receive\":1}}");
    }
    return har.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void get(int port, String pathAndQuery) throws Exception {
    CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
