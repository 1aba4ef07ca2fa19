package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.StartedSessions;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared-cluster findings on user patterns against the running system: a session's
 * catastrophic regex does not stall another session's requests; patterns RE2 cannot run, and
 * patterns over the caps, are refused with a 400 naming the field; a chunked response past the
 * rewrite limit reaches the client whole and unchanged, and its entry says the rewrite was skipped.
 */
class PatternSafetyIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CATASTROPHIC = "(.*a){12}c";
  private static final String SHORT_ATTACK = "/api/" + "a".repeat(40) + "b";
  private static final String LONG_ATTACK = "/api/" + "a".repeat(4000) + "b";
  private static final String LINE = "tapedeck " + "x".repeat(54) + "\n";

  private static UpstreamServer upstream;
  private static ApiClient api;
  private final StartedSessions started = new StartedSessions();

  @BeforeAll
  static void start() {
    upstream =
        UpstreamServer.start()
            .route("GET", "/hello", req -> UpstreamResponse.json(200, "{\"hello\":\"probe\"}"))
            .route("GET", SHORT_ATTACK, req -> UpstreamResponse.text(200, "seen " + req.pathAndQuery()))
            .route("GET", LONG_ATTACK, req -> UpstreamResponse.text(200, "seen " + req.pathAndQuery()))
            .routeRaw(
                "GET",
                "/chunked",
                exchange -> {
                  exchange.getResponseHeaders().add("Content-Type", "text/plain");
                  exchange.sendResponseHeaders(200, 0); // 0: chunked
                  byte[] chunk = LINE.repeat(1024).getBytes(StandardCharsets.UTF_8);
                  try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 24; i++) {
                      out.write(chunk);
                    }
                  }
                });
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
  void aCatastrophicRegexInOneSessionDoesNotStallAnotherSession() throws Exception {
    JsonNode evil =
        startSession(
            "{\"name\":\"pattern-evil\",\"targetUrl\":\"" + upstream.url() + "\",\"modifications\":{"
                + "\"urlRewrites\":[{\"match\":\"" + CATASTROPHIC + "\",\"replace\":\"/x\"}],"
                + "\"bodyReplacements\":[{\"match\":\"" + CATASTROPHIC + "\",\"replace\":\"x\",\"isRegex\":true}]}}");
    JsonNode plain = startSession("{\"name\":\"pattern-plain\",\"targetUrl\":\"" + upstream.url() + "\"}");
    JsonNode other = startSession("{\"name\":\"pattern-other\",\"targetUrl\":\"" + upstream.url() + "\"}");
    int otherPort = other.get("listenPort").asInt();
    get(otherPort, "/hello");
    get(plain.get("listenPort").asInt(), SHORT_ATTACK);
    get(evil.get("listenPort").asInt(), SHORT_ATTACK);

    // The same traffic twice: to a session without rules, then to the one with the catastrophic
    // rule. The machine running the tests is shared, so the first run says what load alone costs.
    List<Long> attackMillis = new ArrayList<>();
    List<Long> baseline = probeWhileAttacking(plain.get("listenPort").asInt(), otherPort, new ArrayList<>());
    List<Long> probes = probeWhileAttacking(evil.get("listenPort").asInt(), otherPort, attackMillis);

    // java.util.regex held the event loop 16-20 s per request here.
    long baselineP90 = p90(baseline);
    assertThat(p90(probes))
        .as("90th percentile latency of the other session, ms, of %s (no rules: %s)", probes, baseline)
        .isLessThan(Math.max(200, baselineP90 + 200));
    assertThat(probes.stream().mapToLong(Long::longValue).max().orElseThrow())
        .as("worst probe, ms, of %s", probes)
        .isLessThan(2_000);
    assertThat(attackMillis).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(2_000));
  }

  private static long p90(List<Long> millis) {
    List<Long> sorted = millis.stream().sorted().toList();
    return sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
  }

  /** Probes {@code probePort} for 3 s while two clients send the attack paths to {@code attackPort}. */
  private static List<Long> probeWhileAttacking(int attackPort, int probePort, List<Long> attackMillis)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService attackers = Executors.newFixedThreadPool(2);
    List<Future<List<Long>>> attacks = new ArrayList<>();
    for (String path : List.of(SHORT_ATTACK, LONG_ATTACK)) {
      attacks.add(
          attackers.submit(
              () -> {
                List<Long> millis = new ArrayList<>();
                while (running.get()) {
                  long start = System.nanoTime();
                  assertThat(get(attackPort, path).statusCode()).isEqualTo(200);
                  millis.add((System.nanoTime() - start) / 1_000_000);
                }
                return millis;
              }));
    }
    List<Long> probes = new ArrayList<>();
    try {
      long until = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < until) {
        long start = System.nanoTime();
        assertThat(get(probePort, "/hello").body()).isEqualTo("{\"hello\":\"probe\"}");
        probes.add((System.nanoTime() - start) / 1_000_000);
        Thread.sleep(20);
      }
    } finally {
      running.set(false);
      attackers.shutdown();
    }
    for (Future<List<Long>> a : attacks) {
      attackMillis.addAll(a.get());
    }
    return probes;
  }

  @Test
  void patternsRe2CannotRunOrOverTheCapsAreRefusedNamingTheField() throws Exception {
    HttpResponse<String> refused =
        api.send(
            "POST",
            "/api/v1/recorder/start",
            "{\"targetUrl\":\"" + upstream.url() + "\","
                + "\"filters\":{\"includePaths\":[\"/" + "a".repeat(1000) + "\"]},"
                + "\"modifications\":{\"urlRewrites\":[{\"match\":\"/(a)\\\\1\",\"replace\":\"/x\"}],"
                + "\"bodyReplacements\":[{\"match\":\"(?<=token=)\\\\w+\",\"replace\":\"x\",\"isRegex\":true}]}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(refused.body());
    assertThat(error.get("error").asText()).isEqualTo("validation_error");
    List<String> fields = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    error.get("fields").forEach(f -> {
      fields.add(f.get("field").asText());
      messages.add(f.get("message").asText());
    });
    assertThat(fields)
        .containsExactly(
            "filters.includePaths[0]",
            "modifications.urlRewrites[0].match",
            "modifications.bodyReplacements[0].match");
    assertThat(messages.get(0)).contains("at most 1000");
    assertThat(messages.get(1)).contains("backreference");
    assertThat(messages.get(2)).contains("lookaround");

    HttpResponse<String> search =
        api.send("GET", "/api/v1/recorder/search?host=" + URLEncoder.encode("*a*a*a*a*b", StandardCharsets.UTF_8), null);
    assertThat(search.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(search.body()).at("/fields/0/field").asText()).isEqualTo("host");
  }

  @Test
  void aChunkedResponsePastTheRewriteLimitPassesWholeAndTheEntrySaysSo() throws Exception {
    JsonNode session =
        startSession(
            "{\"name\":\"pattern-chunked\",\"targetUrl\":\"" + upstream.url() + "\",\"captureBodyLimitBytes\":1024,"
                + "\"modifications\":{\"bodyReplacements\":[{\"match\":\"tapedeck\",\"replace\":\"TD\"}]}}");
    HttpResponse<String> response = get(session.get("listenPort").asInt(), "/chunked");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(LINE.repeat(24 * 1024));
    String id = session.get("id").asText();
    api.awaitEntryTotal(id, 1, Duration.ofSeconds(20));
    JsonNode entry = api.call("GET", "/api/v1/recorder/" + id + "/entries?limit=1", null, 200).at("/entries/0");
    assertThat(entry.get("rewriteSkipped").toString())
        .isEqualTo("[\"response body over the rewrite limit of 1048576 bytes; passed unchanged\"]");
    assertThat(entry.has("modified")).isFalse();
  }

  private JsonNode startSession(String body) throws Exception {
    return started.start(api, body);
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
