package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.RecordedRequest;
import dev.tapedeck.testkit.StartedSessions;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recording policies against the running system: a session's filters, toxics, modifications,
 * network profile and DNS map go from the REST API through the control plane's validation and the
 * session watch to the proxy processes, and what they did shows in the stored entries. Live
 * modification updates reach the proxies under load without a failed request; invalid rules are
 * refused with every field listed while the session keeps its old ones.
 */
class RecordingPoliciesIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SECRET_JSON = "{\"db\":\"production-db.internal\",\"apiKey\": \"sk_live_123\"}";

  private static UpstreamServer upstream;
  private static ApiClient api;
  private final StartedSessions started = new StartedSessions();

  @BeforeAll
  static void start() {
    upstream =
        UpstreamServer.start()
            .route("GET", "/api/items", req -> UpstreamResponse.json(200, "{\"items\":[1,2]}"))
            .route("GET", "/api/missing", req -> UpstreamResponse.status(404))
            .route("GET", "/health", req -> UpstreamResponse.text(200, "ok"))
            .route("GET", "/load", req -> UpstreamResponse.text(200, req.header("X-Rule").orElse("none")))
            .route("GET", "/api/v2/users", req -> UpstreamResponse.text(200, "v2 " + req.pathAndQuery()))
            .route(
                "GET",
                "/config",
                req ->
                    UpstreamResponse.bytes(200, "application/json", gzip(SECRET_JSON))
                        .withHeader("Content-Encoding", "gzip"));
    api = ApiClient.admin(TapedeckSystem.shared());
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @AfterEach
  void stopSessions() throws Exception {
    started.deleteAll(api);
    api.send("PUT", "/api/v1/chaos", "{\"enabled\":false}");
  }

  private JsonNode startSession(String body) throws Exception {
    return started.start(api, body);
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode entries(String id) throws Exception {
    return api.call("GET", "/api/v1/recorder/" + id + "/entries?limit=100", null, 200).get("entries");
  }

  @Test
  void filtersToxicsAndDnsMapShapeWhatIsRecorded() throws Exception {
    String target = "http://upstream.policies.test:" + upstream.port();
    JsonNode session =
        startSession(
            "{\"name\":\"policies-filters\",\"targetUrl\":\"" + target + "\","
                + "\"filters\":{\"includeHosts\":[\"*.policies.test\"],\"includePaths\":[\"/api/*\"],"
                + "\"includeMethods\":[\"GET\"],\"excludeStatus\":[404]},"
                + "\"toxics\":{\"seed\":11,\"http\":{\"delayMs\":80,\"delayJitter\":10}},"
                + "\"dnsMap\":{\"upstream.policies.test\":\"127.0.0.1\"}}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(session.at("/filters/includePaths/0").asText()).isEqualTo("/api/*");
    assertThat(session.at("/toxics/http/delayMs").asInt()).isEqualTo(80);
    assertThat(session.at("/dnsMap/upstream.policies.test").asText()).isEqualTo("127.0.0.1");

    long t0 = System.nanoTime();
    assertThat(get(port, "/api/items").statusCode()).isEqualTo(200);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isGreaterThanOrEqualTo(70);
    // Out of scope, still proxied: a path outside includePaths, an excluded status.
    assertThat(get(port, "/health").body()).isEqualTo("ok");
    assertThat(get(port, "/api/missing").statusCode()).isEqualTo(404);

    api.awaitEntryTotal(id, 1, Duration.ofSeconds(10));
    Thread.sleep(500);
    JsonNode only = entries(id);
    assertThat(only).hasSize(1);
    assertThat(only.get(0).at("/request/url").asText()).isEqualTo(target + "/api/items");
    assertThat(only.get(0).get("toxics").toString()).isEqualTo("[\"delay\"]");
  }

  @Test
  void modificationsApplyAndAreReplacedLiveUnderLoadWithoutAFailedRequest() throws Exception {
    JsonNode session =
        startSession(
            "{\"name\":\"policies-live\",\"targetUrl\":\"" + upstream.url() + "\","
                + "\"filters\":{\"excludePaths\":[\"/load\"]},"
                + "\"modifications\":{\"requestHeaders\":[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\"A\"}],"
                + "\"urlRewrites\":[{\"match\":\"^/api/v1/(\\\\w+)\",\"replace\":\"/api/v2/$1\"}],"
                + "\"bodyReplacements\":[{\"match\":\"\\\"apiKey\\\":\\\\s*\\\"[^\\\"]+\\\"\","
                + "\"replace\":\"\\\"apiKey\\\": \\\"REDACTED\\\"\",\"isRegex\":true},"
                + "{\"match\":\"production-db.internal\",\"replace\":\"localhost:5432\"}]}}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();

    // URL rewrite with a capture group, and a gzip body decoded, replaced and encoded again.
    assertThat(get(port, "/api/v1/users").body()).isEqualTo("v2 /api/v2/users");
    HttpResponse<byte[]> config =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/config")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(config.headers().firstValueAsLong("Content-Length")).hasValue(config.body().length);
    assertThat(gunzip(config.body())).isEqualTo("{\"db\":\"localhost:5432\",\"apiKey\": \"REDACTED\"}");

    JsonNode rules = api.call("GET", "/api/v1/recorder/" + id + "/modifications", null, 200);
    assertThat(rules.at("/modifications/requestHeaders/0/value").asText()).isEqualTo("A");

    // Continuous load from 4 clients on kept-alive connections while the rules change.
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger total = new AtomicInteger();
    AtomicLong firstB = new AtomicLong();
    AtomicLong lastAStart = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long startedAt = System.nanoTime();
                  try {
                    HttpResponse<String> r = get(port, "/load");
                    total.incrementAndGet();
                    if (r.statusCode() != 200) {
                      failures.incrementAndGet();
                    } else if (r.body().equals("B")) {
                      firstB.compareAndSet(0, System.nanoTime());
                    } else if (r.body().equals("A")) {
                      lastAStart.accumulateAndGet(startedAt, Math::max);
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(1_000);
    long putAt = System.nanoTime();
    JsonNode replaced =
        api.call(
            "PUT",
            "/api/v1/recorder/" + id + "/modifications",
            "{\"modifications\":{\"requestHeaders\":[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\"B\"}]}}",
            200);
    long answeredAt = System.nanoTime();
    for (Future<?> w : workers) {
      w.get(20, TimeUnit.SECONDS);
    }
    pool.shutdown();
    double appliedMs = (firstB.get() - putAt) / 1e6;
    double lastOldMs = (lastAStart.get() - answeredAt) / 1e6;
    System.out.printf(
        "live modifications update: %d requests under load, %d failed; PUT answered in %.0f ms, new rules"
            + " seen %.0f ms after the PUT; the last request with the old rules started %.0f ms after the answer%n",
        total.get(), failures.get(), (answeredAt - putAt) / 1e6, appliedMs, lastOldMs);
    assertThat(replaced.at("/modifications/requestHeaders/0/value").asText()).isEqualTo("B");
    assertThat(failures.get()).isZero();
    assertThat(total.get()).isGreaterThan(100);
    assertThat(firstB.get()).isPositive();
    assertThat(appliedMs).isLessThan(1_000);
    // Every proxy applied the new rules within a second of the PUT's answer.
    assertThat(lastOldMs).isLessThan(1_000);
    List<String> seen = upstream.requests().stream().filter(r -> r.path().equals("/load"))
        .map(r -> r.header("X-Rule").orElse("none")).toList();
    assertThat(seen).contains("A", "B").doesNotContain("none");

    // Entries keep the original request and say what changed; /load was filtered out.
    api.awaitEntryTotal(id, 2, Duration.ofSeconds(10));
    JsonNode list = entries(id);
    JsonNode rewritten = list.get(0);
    assertThat(rewritten.get("modified").asBoolean()).isTrue();
    assertThat(rewritten.at("/request/url").asText()).endsWith("/api/v2/users");
    assertThat(rewritten.at("/originalRequest/url").asText()).endsWith("/api/v1/users");
    assertThat(list.get(1).at("/response/body/text").asText()).contains("REDACTED");
  }

  @Test
  void invalidRulesAreRefusedWithEveryFieldAndTheRunningSessionKeepsItsOwn() throws Exception {
    HttpResponse<String> refused =
        api.send(
            "POST",
            "/api/v1/recorder/start",
            "{\"targetUrl\":\"" + upstream.url() + "\","
                + "\"filters\":{\"includePaths\":[\"/api/[v1\"],\"excludeStatus\":[999]},"
                + "\"toxics\":{\"http\":{\"errorRate\":1.5,\"delayMs\":-5}},"
                + "\"modifications\":{\"urlRewrites\":[{\"match\":\"(unclosed\",\"replace\":\"/x\"}]},"
                + "\"networkProfile\":\"5g\",\"dnsMap\":{\"a.test\":\"not an address\"}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body());
    List<String> fields = new ArrayList<>();
    error.get("fields").forEach(f -> fields.add(f.get("field").asText()));
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "filters.includePaths[0]",
            "filters.excludeStatus[0]",
            "toxics.http.delayMs",
            "toxics.http.errorRate",
            "modifications.urlRewrites[0].match",
            "networkProfile",
            "dnsMap.a.test");

    JsonNode session =
        startSession(
            "{\"name\":\"policies-keep\",\"targetUrl\":\"" + upstream.url() + "\",\"networkProfile\":\"4g\","
                + "\"modifications\":{\"requestHeaders\":[{\"action\":\"add\",\"name\":\"X-Rule\",\"value\":\"kept\"}]}}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(session.at("/networkProfile/name").asText()).isEqualTo("4g");
    HttpResponse<String> bad =
        api.send(
            "PUT",
            "/api/v1/recorder/" + id + "/modifications",
            "{\"modifications\":{\"requestHeaders\":[{\"action\":\"upsert\",\"name\":\"Bad Name\"}],"
                + "\"bodyReplacements\":[{\"match\":\"[\",\"replace\":\"x\",\"isRegex\":true}]}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .contains("modifications.requestHeaders[0].action")
        .contains("modifications.requestHeaders[0].name")
        .contains("modifications.bodyReplacements[0].match");
    assertThat(api.call("GET", "/api/v1/recorder/" + id + "/modifications", null, 200)
            .at("/modifications/requestHeaders/0/value").asText())
        .isEqualTo("kept");
    assertThat(get(port, "/load").body()).isEqualTo("kept");
  }

  @Test
  void globalChaosRunsThroughTheSameEngineOnRunningSessions() throws Exception {
    JsonNode session = startSession("{\"name\":\"policies-chaos\",\"targetUrl\":\"" + upstream.url() + "\"}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(get(port, "/health").statusCode()).isEqualTo(200);

    JsonNode chaos =
        api.call(
            "PUT",
            "/api/v1/chaos",
            "{\"enabled\":true,\"errorRate\":{\"probability\":1.0,\"statusCodes\":[418]}}",
            200);
    assertThat(chaos.get("enabled").asBoolean()).isTrue();
    assertThat(awaitStatus(port, 418)).isTrue();
    api.call("PUT", "/api/v1/chaos", "{\"enabled\":false}", 200);
    assertThat(awaitStatus(port, 200)).isTrue();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!entries(id).toString().contains("chaos.error") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(entries(id).toString()).contains("chaos.error");
    HttpResponse<String> bad = api.send("PUT", "/api/v1/chaos", "{\"enabled\":true,\"latency\":{\"min\":\"fast\",\"max\":\"1s\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("latency.min");
  }

  @Test
  void aSavedConfigKeepsItsPoliciesAndIsValidatedByTheSameRules() throws Exception {
    String config =
        "{\"name\":\"policies-saved\",\"targetUrl\":\"http://api.saved.test:1\","
            + "\"filters\":{\"includeHosts\":[\"*.saved.test\"]},\"networkProfile\":\"3g\","
            + "\"toxics\":{\"seed\":5,\"connection\":{\"resetRate\":0.1}},"
            + "\"dnsMap\":{\"api.saved.test\":\"127.0.0.1\"}}";
    JsonNode saved = api.call("POST", "/api/v1/recorder/configs", config, 201);
    String id = saved.get("id").asText();
    try {
      JsonNode listed = api.call("GET", "/api/v1/recorder/configs", null, 200);
      assertThat(listed.toString())
          .contains("\"api.saved.test\":\"127.0.0.1\"")
          .contains("\"networkProfile\":\"3g\"")
          .contains("\"resetRate\":0.1");
      HttpResponse<String> invalid =
          api.send("POST", "/api/v1/recorder/configs", "{\"name\":\"bad\",\"targetUrl\":\"http://x\","
              + "\"toxics\":{\"http\":{\"errorStatus\":42}}}");
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(invalid.body()).contains("toxics.http.errorStatus");
    } finally {
      api.send("DELETE", "/api/v1/recorder/configs/" + id, null);
    }
  }

  /** Polls until a request answers {@code status} (proxies apply updates within a second). */
  private static boolean awaitStatus(int port, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < deadline) {
      if (get(port, "/health").statusCode() == status) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static byte[] gzip(String text) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String gunzip(byte[] bytes) throws IOException {
    return new String(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unused")
  private static RecordedRequest last() {
    return upstream.requests().get(upstream.requests().size() - 1);
  }
}
