package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Playback, Map Local, sequences and verification (issue 17), end to end: the proxy answers from
 * the mocks of the session's user, matched in the proxy pod, with the real services as processes.
 */
class PlaybackIT {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aRecordedSessionIsReplayedInPlaybackWithTheUpstreamStopped() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient user = newUser(admin, "pb-replay");
    String namespace = "replay-" + shortId();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
    UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/orders/7", req -> UpstreamResponse.json(200, "{\"id\":7,\"state\":\"paid\"}"))
            .route("GET", "/orders", req -> UpstreamResponse.json(200, "[{\"id\":7},{\"id\":8}]"))
            .route("POST", "/orders", req -> UpstreamResponse.json(201, "{\"id\":9,\"amount\":5}"))
            .route("GET", "/logo.png", req -> UpstreamResponse.bytes(200, "image/png", png));
    JsonNode session =
        user.call(
                "POST", "/api/v1/recorder/start",
                "{\"targetUrl\":\"" + upstream.url() + "\",\"namespace\":\"" + namespace + "\"}", 201)
            .get("session");
    String id = session.get("id").asText();
    String base = "http://127.0.0.1:" + session.get("listenPort").asInt();
    List<HttpRequest> requests =
        List.of(
            HttpRequest.newBuilder(URI.create(base + "/orders/7")).build(),
            HttpRequest.newBuilder(URI.create(base + "/orders?page=2")).build(),
            HttpRequest.newBuilder(URI.create(base + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}"))
                .build(),
            HttpRequest.newBuilder(URI.create(base + "/logo.png")).build());
    List<HttpResponse<byte[]>> recorded = new ArrayList<>();
    for (HttpRequest r : requests) {
      recorded.add(CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray()));
    }
    user.awaitEntryTotal(id, requests.size(), Duration.ofSeconds(30));
    JsonNode generated = user.call("POST", "/api/v1/recorder/" + id + "/mocks", "{}", 200);
    assertThat(generated.get("created").asInt()).isEqualTo(requests.size());

    upstream.close();
    user.call("PUT", "/api/v1/recorder/" + id + "/traffic-mode", "{\"trafficMode\":\"playback\"}", 200);
    assertThat(user.call("GET", "/api/v1/recorder/" + id, null, 200).toString()).contains("\"trafficMode\":\"playback\"");
    // Within a second every pod serves the session from its mocks.
    awaitAnswer(requests.get(0), r -> r.statusCode() == 200);
    for (int i = 0; i < requests.size(); i++) {
      HttpResponse<byte[]> replayed = CLIENT.send(requests.get(i), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(replayed.statusCode()).as("status of %s", requests.get(i).uri()).isEqualTo(recorded.get(i).statusCode());
      assertThat(replayed.body()).as("body of %s", requests.get(i).uri()).isEqualTo(recorded.get(i).body());
      assertThat(replayed.headers().firstValue("content-type"))
          .as("content type of %s", requests.get(i).uri())
          .isEqualTo(recorded.get(i).headers().firstValue("content-type"));
    }

    // A request no mock answers gets a 404 that names the closest mocks and why they missed.
    HttpResponse<String> miss =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(base + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":6}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(miss.statusCode()).isEqualTo(404);
    JsonNode why = JSON.readTree(miss.body());
    assertThat(why.get("error").asText()).isEqualTo("no_mock_matched");
    assertThat(why.get("message").asText()).contains(namespace, "POST /orders");
    JsonNode closest = why.get("closestMocks").get(0);
    assertThat(closest.get("mismatches").toString()).contains("\"field\":\"body\"").contains("amount");
    HttpResponse<String> wrongPath =
        CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/invoices/7")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongPath.statusCode()).isEqualTo(404);
    assertThat(wrongPath.body()).contains("\"field\":\"path\"");

    // The misses are recorded, flagged, beside the mocked answers.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long misses;
    long mocked;
    do {
      JsonNode entries = user.call("GET", "/api/v1/recorder/" + id + "/entries?offset=0&limit=100", null, 200).get("entries");
      misses = 0;
      mocked = 0;
      for (JsonNode e : entries) {
        misses += e.path("playbackMiss").asBoolean() ? 1 : 0;
        mocked += e.path("mapLocal").asBoolean() ? 1 : 0;
      }
    } while ((misses < 2 || mocked < requests.size() + 1) && System.nanoTime() < deadline && sleep());
    assertThat(misses).isEqualTo(2);
    assertThat(mocked).isGreaterThanOrEqualTo(requests.size() + 1);
    user.call("DELETE", "/api/v1/recorder/" + id, null, 200);
  }

  @Test
  void aMockdConfigExportedFromASessionIsImportedAndServedInPlayback() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient user = newUser(admin, "pb-mockd");
    String namespace = "mockd-" + shortId();
    UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/catalog/items", req -> UpstreamResponse.json(200, "{\"items\":[\"lamp\",\"desk\"]}"));
    JsonNode recording =
        user.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
    String recordingId = recording.get("id").asText();
    HttpResponse<String> live =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recording.get("listenPort").asInt() + "/catalog/items")).build(),
            HttpResponse.BodyHandlers.ofString());
    user.awaitEntryTotal(recordingId, 1, Duration.ofSeconds(30));
    upstream.close();

    // The session as mockd's YAML config, the file `mockd` itself loads, imported as mocks.
    HttpResponse<String> exported =
        user.send("POST", "/api/v1/recorder/" + recordingId + "/export", "{\"format\":\"mockd\"}");
    assertThat(exported.statusCode()).isEqualTo(200);
    assertThat(exported.body()).contains("mocks:");
    HttpResponse<String> imported =
        user.send("POST", "/api/v1/mocks/import?namespace=" + namespace, exported.body(), "application/yaml");
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    assertThat(JSON.readTree(imported.body()).get("imported").asInt()).isEqualTo(1);
    HttpResponse<String> notYaml =
        user.send("POST", "/api/v1/mocks/import?namespace=" + namespace, "mocks: [unclosed", "application/yaml");
    assertThat(notYaml.statusCode()).isEqualTo(400);
    assertThat(notYaml.body()).contains("is not YAML");

    JsonNode playback =
        user.call(
                "POST", "/api/v1/recorder/start",
                "{\"targetUrl\":\"" + upstream.url() + "\",\"namespace\":\"" + namespace + "\",\"trafficMode\":\"playback\"}", 201)
            .get("session");
    HttpRequest again =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + playback.get("listenPort").asInt() + "/catalog/items")).build();
    awaitAnswer(again, r -> r.statusCode() == 200);
    HttpResponse<String> replayed = CLIENT.send(again, HttpResponse.BodyHandlers.ofString());
    assertThat(replayed.body()).isEqualTo(live.body());
    user.call("DELETE", "/api/v1/recorder/" + recordingId, null, 200);
    user.call("DELETE", "/api/v1/recorder/" + playback.get("id").asText(), null, 200);
  }

  @Test
  void mapLocalAnswersMatchingRequestsFromMocksAndForwardsTheRest() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient user = newUser(admin, "pb-maplocal");
    String namespace = "maplocal-" + shortId();
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/live", req -> UpstreamResponse.json(200, "{\"from\":\"upstream\"}"))
            .route("GET", "/users/42", req -> UpstreamResponse.json(200, "{\"from\":\"upstream\"}"))) {
      // mockd's format, with a path template and response templating.
      user.call(
          "POST", "/api/v1/mocks?namespace=" + namespace,
          """
          {"type": "http", "name": "user by id", "http": {
            "matcher": {"method": "GET", "path": "/users/{id}"},
            "response": {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                         "body": "{\\"from\\":\\"mock\\",\\"id\\":\\"{{request.path.[1]}}\\",\\"trace\\":\\"{{randomValue type='UUID'}}\\"}"}}}
          """,
          201);
      JsonNode session =
          user.call(
                  "POST", "/api/v1/recorder/start",
                  "{\"targetUrl\":\"" + upstream.url() + "\",\"mapLocal\":{\"enabled\":true,\"namespace\":\"" + namespace + "\"}}",
                  201)
              .get("session");
      String id = session.get("id").asText();
      String base = "http://127.0.0.1:" + session.get("listenPort").asInt();

      HttpResponse<String> mocked = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/users/42")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(mocked.body());
      assertThat(body.get("from").asText()).isEqualTo("mock");
      assertThat(body.get("id").asText()).isEqualTo("42");
      assertThat(UUID.fromString(body.get("trace").asText())).isNotNull();
      HttpResponse<String> live = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/live")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.body()).contains("upstream");
      assertThat(upstream.requests()).extracting(r -> r.path()).containsExactly("/live");

      JsonNode entries = user.awaitEntries(id, 2, Duration.ofSeconds(30)).get("entries");
      for (JsonNode e : entries) {
        boolean isMocked = e.at("/request/url").asText().endsWith("/users/42");
        assertThat(e.path("mapLocal").asBoolean()).as("mapLocal of %s", e.at("/request/url").asText()).isEqualTo(isMocked);
      }

      // Turned off live, the same request goes upstream.
      user.call("PUT", "/api/v1/recorder/" + id + "/map-local", "{\"enabled\":false}", 200);
      awaitAnswer(HttpRequest.newBuilder(URI.create(base + "/users/42")).build(), r -> new String(r.body(), StandardCharsets.UTF_8).contains("upstream"));
      user.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  @Test
  void aSequenceReplaysInOrderTheLastRepeatsAndVerificationCountsTheCalls() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient user = newUser(admin, "pb-sequence");
    String namespace = "sequence-" + shortId();
    List<String> ids = new ArrayList<>();
    for (int step = 1; step <= 3; step++) {
      String required = step == 1 ? "Started" : "step " + step;
      String next = step < 3 ? ",\"newScenarioState\":\"step " + (step + 1) + "\"" : "";
      JsonNode created =
          user.call(
              "POST", "/api/v1/mocks",
              "{\"namespace\":\"" + namespace + "\",\"request\":{\"method\":\"GET\",\"urlPath\":\"/job\"},"
                  + "\"response\":{\"status\":200,\"body\":\"state " + step + "\"},"
                  + "\"scenarioName\":\"job\",\"requiredScenarioState\":\"" + required + "\"" + next + "}",
              201);
      ids.add(created.get("id").asText());
    }
    JsonNode session =
        user.call(
                "POST", "/api/v1/recorder/start",
                "{\"targetUrl\":\"http://127.0.0.1:9\",\"namespace\":\"" + namespace + "\",\"trafficMode\":\"playback\"}",
                201)
            .get("session");
    String id = session.get("id").asText();
    HttpRequest job = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/job")).build();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(CLIENT.send(job, HttpResponse.BodyHandlers.ofString()).body());
    }
    assertThat(answers).containsExactly("state 1", "state 2", "state 3", "state 3");

    // The third mock answered twice; the proxies report within a fraction of a second.
    String third = ids.get(2);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JsonNode verify;
    do {
      verify = user.call("GET", "/api/v1/mocks/" + third + "/verify", null, 200);
    } while (verify.get("callCount").asLong() < 2 && System.nanoTime() < deadline && sleep());
    assertThat(verify.get("callCount").asLong()).isEqualTo(2);
    assertThat(verify.get("firstCalledAt").asText()).isNotEmpty();
    assertThat(user.call("POST", "/api/v1/mocks/" + third + "/verify", "{\"exactly\":2}", 200).get("success").asBoolean()).isTrue();
    JsonNode failed = user.call("POST", "/api/v1/mocks/" + third + "/verify", "{\"atLeast\":3}", 200);
    assertThat(failed.get("success").asBoolean()).isFalse();
    assertThat(failed.get("message").asText()).contains("2 times", "at least 3");
    JsonNode invocations = user.call("GET", "/api/v1/mocks/" + third + "/invocations", null, 200);
    assertThat(invocations.get("count").asLong()).isEqualTo(2);
    assertThat(invocations.at("/invocations/0/path").asText()).isEqualTo("/job");
    user.call("DELETE", "/api/v1/mocks/" + third + "/invocations", null, 200);
    assertThat(user.call("GET", "/api/v1/mocks/" + third + "/verify", null, 200).get("callCount").asLong()).isZero();

    user.call("POST", "/api/v1/recorder/" + id + "/sequences/reset", null, 200);
    awaitAnswer(job, r -> new String(r.body(), StandardCharsets.UTF_8).equals("state 1"));
    assertThat(CLIENT.send(job, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("state 2");

    // A disabled mock no longer answers.
    user.call("POST", "/api/v1/mocks/" + ids.get(0) + "/toggle", null, 200);
    user.call("POST", "/api/v1/recorder/" + id + "/sequences/reset", null, 200);
    awaitAnswer(job, r -> r.statusCode() == 404);
    user.call("DELETE", "/api/v1/recorder/" + id, null, 200);
  }

  @Test
  void anotherUsersMocksNeverAnswer() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient carol = newUser(admin, "pb-carol");
    ApiClient dave = newUser(admin, "pb-dave");
    String namespace = "shared-" + shortId();
    JsonNode mock =
        carol.call(
            "POST", "/api/v1/mocks",
            "{\"namespace\":\"" + namespace + "\",\"request\":{\"method\":\"GET\",\"urlPath\":\"/secret\"},"
                + "\"response\":{\"status\":200,\"body\":\"carol's\"}}",
            201);
    JsonNode session =
        dave.call(
                "POST", "/api/v1/recorder/start",
                "{\"targetUrl\":\"http://127.0.0.1:9\",\"namespace\":\"" + namespace + "\",\"trafficMode\":\"playback\"}",
                201)
            .get("session");
    HttpResponse<String> answer =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/secret")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).doesNotContain("carol's").contains("holds no mocks");
    dave.call("GET", "/api/v1/mocks/" + mock.get("id").asText(), null, 404);
    dave.call("POST", "/api/v1/mocks/" + mock.get("id").asText() + "/toggle", null, 404);
    dave.call("GET", "/api/v1/mocks/" + mock.get("id").asText() + "/verify", null, 404);
    dave.call("DELETE", "/api/v1/recorder/" + session.get("id").asText(), null, 200);
  }

  @Test
  void badMocksAndModesAreRefusedNamingTheField() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    ApiClient user = newUser(admin, "pb-bad");
    JsonNode bad =
        user.call(
            "POST", "/api/v1/mocks",
            "{\"request\":{\"method\":\"GET\",\"urlPathPattern\":\"(a\"},\"response\":{\"status\":200}}", 400);
    assertThat(bad.toString()).contains("request.urlPathPattern");
    bad = user.call("POST", "/api/v1/mocks", "{\"request\":{\"urlPath\":\"/a\"},\"response\":{\"status\":200,\"body\":\"{{request.nope}}\",\"transformers\":[\"response-template\"]}}", 400);
    assertThat(bad.toString()).contains("response.body");
    bad = user.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:9\",\"trafficMode\":\"replay\"}", 400);
    assertThat(bad.toString()).contains("trafficMode");
    bad = user.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://127.0.0.1:9\",\"trafficMode\":\"playback\",\"record\":false}", 400);
    assertThat(bad.toString()).contains("\"field\":\"record\"");

    JsonNode imported =
        user.call(
            "POST", "/api/v1/mocks/import?namespace=imported",
            "{\"mappings\":[{\"request\":{\"method\":\"GET\",\"url\":\"/a?b=1\"},\"response\":{\"status\":204}},"
                + "{\"request\":{\"method\":\"GET\"},\"response\":{\"status\":999}}]}",
            200);
    assertThat(imported.get("imported").asInt()).isEqualTo(1);
    assertThat(imported.at("/errors/0/index").asInt()).isEqualTo(1);
    assertThat(imported.at("/errors/0/field").asText()).isEqualTo("response.status");
    assertThat(user.call("GET", "/api/v1/mocks?namespace=imported", null, 200).get("total").asInt()).isEqualTo(1);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static ApiClient newUser(ApiClient admin, String name) throws Exception {
    return admin.withKey(
        admin.call("POST", "/api/v1/admin/users", "{\"name\":\"" + name + "-" + shortId() + "\"}", 201).get("apiKey").asText());
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static boolean sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /** Sends {@code request} until its answer satisfies {@code ok} (a live change reaching every pod). */
  private static void awaitAnswer(HttpRequest request, Predicate<HttpResponse<byte[]>> ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    HttpResponse<byte[]> last;
    do {
      last = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (ok.test(last)) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "No expected answer within 5 s from " + request.uri() + ": last " + last.statusCode() + " "
            + new String(last.body(), StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unused")
  private static Map<String, String> none() {
    return Map.of();
  }
}
