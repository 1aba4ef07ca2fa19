package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.RecordedRequest;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A recorded login flow (POST /login hands out a fresh token each time; the later requests send it
 * as a Bearer token and use the id of a note they create) replayed against live servers, correlated,
 * and exported as scripts that run against the live server.
 */
class ReplayAndCorrelationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static UpstreamServer live;
  private static UpstreamServer renamed;
  private static ApiClient api;
  private static String sessionId;
  private static List<String> entryIds;

  /** The flow's server: every login a new token, every answer stamped with the time, {@code name} in the answers. */
  static UpstreamServer flowServer(String name) {
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    Map<String, String> notes = new ConcurrentHashMap<>();
    return UpstreamServer.start()
        .route("POST", "/login", req -> {
          String token = "tok_" + UUID.randomUUID().toString().replace("-", "");
          tokens.add(token);
          return UpstreamResponse.json(200, "{\"token\":\"" + token + "\",\"issuedAt\":\"" + Instant.now() + "\"}")
              .withHeader("X-Request-Id", UUID.randomUUID().toString());
        })
        .route("GET", "/me", req -> authorized(req, tokens)
            ? UpstreamResponse.json(200, "{\"name\":\"" + name + "\",\"id\":3,\"seenAt\":\"" + Instant.now() + "\"}")
            : UpstreamResponse.json(401, "{\"error\":\"unauthorized\"}"))
        .route("POST", "/notes", req -> {
          if (!authorized(req, tokens)) {
            return UpstreamResponse.json(401, "{\"error\":\"unauthorized\"}");
          }
          String id = UUID.randomUUID().toString();
          notes.put(id, JSON.readTree(req.bodyText()).get("text").asText());
          return UpstreamResponse.json(201, "{\"noteId\":\"" + id + "\",\"owner\":\"" + name + "\",\"createdAt\":" + System.currentTimeMillis() + "}");
        })
        .route("GET", "/note", req -> {
          String id = req.pathAndQuery().replaceAll(".*[?&]id=([^&]*).*", "$1");
          return !authorized(req, tokens) ? UpstreamResponse.json(401, "{\"error\":\"unauthorized\"}")
              : notes.containsKey(id)
                  ? UpstreamResponse.json(200, "{\"id\":\"" + id + "\",\"text\":\"" + notes.get(id) + "\",\"owner\":\"" + name + "\"}")
                  : UpstreamResponse.json(404, "{\"error\":\"no such note\"}");
        });
  }

  private static boolean authorized(RecordedRequest req, Set<String> tokens) {
    return req.header("Authorization").map(h -> h.startsWith("Bearer ") && tokens.contains(h.substring(7))).orElse(false);
  }

  @BeforeAll
  static void recordTheFlow() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    api = ApiClient.admin(system);
    live = flowServer("user3");
    renamed = flowServer("member3");
    JsonNode session =
        api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + live.url() + "\",\"name\":\"login flow\"}", 201).get("session");
    sessionId = session.get("id").asText();
    String proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();
    String token = JSON.readTree(send(proxy + "/login", "POST", null, "{\"user\":\"user3\"}").body()).get("token").asText();
    assertThat(send(proxy + "/me", "GET", token, null).statusCode()).isEqualTo(200);
    HttpResponse<String> created = send(proxy + "/notes", "POST", token, "{\"text\":\"hello\"}");
    String noteId = JSON.readTree(created.body()).get("noteId").asText();
    assertThat(send(proxy + "/note?id=" + noteId, "GET", token, null).statusCode()).isEqualTo(200);
    JsonNode entries = api.awaitEntries(sessionId, 4, Duration.ofSeconds(30)).get("entries");
    entryIds = new ArrayList<>();
    entries.forEach(e -> entryIds.add(e.get("id").asText()));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (sessionId != null) {
      api.call("DELETE", "/api/v1/recorder/" + sessionId, null, 200);
    }
    live.close();
    renamed.close();
  }

  @Test
  void recordedLoginFlowReplaysFullyMatchedAgainstAServerIssuingNewTokens() throws Exception {
    JsonNode job = replay("{\"targetUrl\":\"" + live.url() + "\"}");
    assertThat(job.get("verdict").asText()).as(job.toPrettyString()).isEqualTo("passed");
    assertThat(job.get("matched").asInt()).isEqualTo(4);
    assertThat(job.get("mismatched").asInt() + job.get("failed").asInt() + job.get("skipped").asInt()).isZero();
    assertThat(job.get("progress").get("done").asInt()).isEqualTo(4);
    // /me, POST /notes and GET /note carried the new token; GET /note also the new note id.
    assertThat(job.get("results").get(1).get("correlated")).isNotEmpty();
    assertThat(job.get("results").get(3).get("correlated").size()).isGreaterThanOrEqualTo(2);
    assertThat(job.get("results").get(0).get("timings").get("recorded").asDouble()).isPositive();
    assertThat(job.get("results").get(0).get("timings").get("replayed").asDouble()).isPositive();
  }

  @Test
  void selectedEntriesReplayConcurrentlyWhenAsked() throws Exception {
    JsonNode job = replay("{\"targetUrl\":\"" + live.url() + "\",\"concurrency\":3,\"timeoutSeconds\":5,"
        + "\"entries\":[\"" + entryIds.get(0) + "\"]}");
    assertThat(job.get("verdict").asText()).as(job.toPrettyString()).isEqualTo("passed");
    assertThat(job.get("total").asInt()).isEqualTo(1);
    assertThat(job.get("concurrency").asInt()).isEqualTo(3);
    assertThat(job.get("results").get(0).get("entryId").asText()).isEqualTo(entryIds.get(0));
  }

  @Test
  void aChangedFieldIsReportedForEachEntryConcernedAndTimeStampsAreNoise() throws Exception {
    JsonNode job = replay("{\"targetUrl\":\"" + renamed.url() + "\",\"concurrency\":1}");
    assertThat(job.get("verdict").asText()).isEqualTo("failed");
    assertThat(job.get("matched").asInt()).isEqualTo(1);
    assertThat(job.get("mismatched").asInt()).isEqualTo(3);
    JsonNode results = job.get("results");
    assertThat(results.get(0).get("outcome").asText()).isEqualTo("matched");
    assertThat(onlyDifference(results.get(1))).isEqualTo("$.name: \"user3\" -> \"member3\"");
    assertThat(onlyDifference(results.get(2))).isEqualTo("$.owner: \"user3\" -> \"member3\"");
    assertThat(onlyDifference(results.get(3))).isEqualTo("$.owner: \"user3\" -> \"member3\"");
    for (JsonNode result : results) {
      assertThat(result.get("differences").toString()).doesNotContain("issuedAt", "seenAt", "createdAt", "Date");
    }
    assertThat(results.get(1).get("noise").toString()).contains("$.seenAt", "timestamp");
    assertThat(results.get(2).get("noise").toString()).contains("$.createdAt", "timestamp");
    // The note id is correlated: the new id is expected where the recording had the old one.
    assertThat(results.get(2).toString()).doesNotContain("$.noteId");
  }

  @Test
  void editedNoiseSetSilencesAPathAndIsShown() throws Exception {
    String path = "/api/v1/recorder/" + sessionId + "/noise";
    JsonNode shown = api.call("GET", path, null, 200);
    assertThat(shown.get("edited").asBoolean()).isFalse();
    assertThat(shown.get("headers").toString()).contains("Date", "X-Request-Id", "ETag");
    assertThat(shown.get("valueShapes").toString()).contains("timestamp", "uuid");
    try {
      api.call("PUT", path, "{\"headers\":[\"Date\",\"X-Request-Id\"],\"jsonPaths\":[\"$.name\",\"$..owner\"],\"valueShapes\":[\"timestamp\",\"uuid\"]}", 200);
      assertThat(api.call("GET", path, null, 200).get("jsonPaths").toString()).contains("$.name");
      JsonNode job = replay("{\"targetUrl\":\"" + renamed.url() + "\"}");
      assertThat(job.get("verdict").asText()).as(job.toPrettyString()).isEqualTo("passed");
      JsonNode bad = api.call("PUT", path, "{\"valueShapes\":[\"colour\"],\"jsonPaths\":[\"name\"]}", 400);
      assertThat(bad.get("message").asText()).contains("valueShapes", "jsonPaths");
    } finally {
      api.call("PUT", path, JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>setAll(Map.of(
          "headers", shown.get("headers"), "jsonPaths", shown.get("jsonPaths"), "valueShapes", shown.get("valueShapes"))).toString(), 200);
    }
  }

  @Test
  void oneEntryReplaysWithOverridesBesideTheRecordedAnswer() throws Exception {
    JsonNode replayed = api.call("POST", "/api/v1/recorder/" + sessionId + "/entries/" + entryIds.get(1) + "/replay",
        "{\"url\":\"" + renamed.url() + "/me\"}", 200);
    // The recorded token is unknown to that server: 401, reported as a status difference.
    assertThat(replayed.get("recorded").get("statusCode").asInt()).isEqualTo(200);
    assertThat(replayed.get("replayed").get("statusCode").asInt()).isEqualTo(401);
    assertThat(replayed.get("result").get("outcome").asText()).isEqualTo("mismatched");
    assertThat(replayed.get("result").get("differences").get(0).get("text").asText()).isEqualTo("status: 200 -> 401");
    String login = JSON.readTree(send(live.url() + "/login", "POST", null, "{}").body()).get("token").asText();
    JsonNode withToken = api.call("POST", "/api/v1/recorder/" + sessionId + "/entries/" + entryIds.get(1) + "/replay",
        "{\"headers\":{\"Authorization\":\"Bearer " + login + "\"}}", 200);
    assertThat(withToken.get("result").get("outcome").asText()).as(withToken.toPrettyString()).isEqualTo("matched");
    assertThat(withToken.get("replayed").get("body").asText()).contains("user3");
  }

  @Test
  void correlateFindsTheTokenFlowingFromLoginToTheLaterRequests() throws Exception {
    JsonNode report = api.call("POST", "/api/v1/recorder/" + sessionId + "/correlate",
        "{\"minValueLength\":6,\"excludeNumeric\":false,\"maxCorrelationsPerSource\":50}", 200);
    JsonNode token = null;
    for (JsonNode c : report.get("correlations")) {
      if (c.get("source").get("path").asText("").equals("$.token")) {
        token = c;
      }
    }
    assertThat(token).as(report.toPrettyString()).isNotNull();
    assertThat(token.get("source").get("entryId").asText()).isEqualTo(entryIds.get(0));
    assertThat(token.get("source").get("section").asText()).isEqualTo("responseJson");
    assertThat(token.get("valueType").asText()).isEqualTo("token");
    assertThat(token.get("confidence").asDouble()).isGreaterThan(0.8);
    List<String> targets = new ArrayList<>();
    // Header names as recorded: the JDK client sends them in lower case.
    token.get("targets").forEach(t -> targets.add(t.get("entryId").asText() + " " + t.get("section").asText() + " "
        + t.get("name").asText().toLowerCase(java.util.Locale.ROOT)));
    assertThat(targets).containsExactly(
        entryIds.get(1) + " header authorization", entryIds.get(2) + " header authorization", entryIds.get(3) + " header authorization");
    assertThat(report.toString()).contains("$.noteId");
    assertThat(api.call("POST", "/api/v1/recorder/" + sessionId + "/correlate", "{\"minValueLength\":0}", 400)
        .get("message").asText()).contains("minValueLength");
  }

  @Test
  void replayIsBoundedRefusesInternalTargetsAndOtherUsersSessions() throws Exception {
    String path = "/api/v1/recorder/" + sessionId + "/replay";
    JsonNode metadata = api.call("POST", path, "{\"targetUrl\":\"http://169.254.169.254/latest\"}", 400);
    assertThat(metadata.get("message").asText()).contains("targetUrl", "egress");
    JsonNode bounds = api.call("POST", path, "{\"concurrency\":1000,\"timeoutSeconds\":0}", 400);
    assertThat(bounds.get("message").asText()).contains("concurrency", "timeoutSeconds");
    assertThat(api.call("POST", path, "{\"targetUrl\":\"ftp://example.com\"}", 400).get("message").asText()).contains("targetUrl");
    assertThat(api.call("POST", "/api/v1/recorder/" + sessionId + "/entries/" + entryIds.get(0) + "/replay",
        "{\"url\":\"http://[fe80::1]/x\"}", 400).get("message").asText()).contains("url");

    JsonNode user = api.call("POST", "/api/v1/admin/users", "{\"name\":\"replay-outsider\"}", 201);
    ApiClient outsider = api.withKey(user.get("apiKey").asText());
    try {
      outsider.call("POST", path, "{}", 404);
      outsider.call("POST", "/api/v1/recorder/" + sessionId + "/correlate", "{}", 404);
      outsider.call("GET", "/api/v1/recorder/" + sessionId + "/noise", null, 404);
      outsider.call("POST", "/api/v1/recorder/" + sessionId + "/entries/" + entryIds.get(0) + "/replay", "{}", 404);
    } finally {
      api.call("DELETE", "/api/v1/admin/users/" + user.get("user").get("id").asText(), null, 200);
    }
  }

  @Test
  void exportedNodeTestAndPostmanFilesOfTheFlowPassAgainstTheLiveServerAndK6Extracts() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "replay-exports"));
    Path nodeTest = dir.resolve("flow.test.mjs");
    Files.writeString(nodeTest, export("/export-test", "{}"));
    Process node = new ProcessBuilder("node", "--test", nodeTest.toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    String nodeOut = new String(node.getInputStream().readAllBytes());
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(nodeOut).isZero();
    assertThat(nodeOut).contains("# pass 4");

    Path collection = dir.resolve("flow.postman_collection.json");
    String postman = export("/export", "{\"format\":\"postman\"}");
    Files.writeString(collection, postman);
    assertThat(postman).contains("{{token}}");
    Path newman = Newman.install();
    Process run = new ProcessBuilder(newman.toString(), "run", collection.toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    String newmanOut = new String(run.getInputStream().readAllBytes());
    assertThat(run.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(newmanOut).isZero();

    String k6 = export("/export-perf", "{}");
    assertThat(k6).contains("vars.token = ").contains("\"$.token\"").contains("vars.noteId = ");
  }

  private static String export(String endpoint, String body) throws Exception {
    HttpResponse<String> response = api.send("POST", "/api/v1/recorder/" + sessionId + endpoint, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static String onlyDifference(JsonNode result) {
    assertThat(result.get("outcome").asText()).isEqualTo("mismatched");
    assertThat(result.get("differences")).as(result.toPrettyString()).hasSize(1);
    return result.get("differences").get(0).get("text").asText();
  }

  /** Starts a session replay and polls its job until it is done. */
  private static JsonNode replay(String body) throws Exception {
    HttpResponse<String> started = api.send("POST", "/api/v1/recorder/" + sessionId + "/replay", body);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location).contains("/replay/" + JSON.readTree(started.body()).get("id").asText());
    String jobPath = URI.create(location).getPath();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonNode job = api.call("GET", jobPath, null, 200);
      if (!job.get("status").asText().equals("running")) {
        assertThat(job.get("status").asText()).as(job.toPrettyString()).isEqualTo("done");
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("replay did not finish within 60 s");
  }

  private static HttpResponse<String> send(String url, String method, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
