package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live policy endpoints' contract, through the API of the running system: {@code GET}/{@code
 * PUT /api/v1/recorder/{id}/filters}, {@code /toxics}, {@code /network-profile} and {@code
 * /record}. A PUT is validated as a start is (every field at fault in one 400, the session keeps
 * its settings and its revision), a GET returns what the last PUT set, each accepted PUT is a new
 * revision for the proxies (what they do with it: {@link LivePoliciesIT}), another user's session
 * is a 404, and a stopped session keeps an update for its restart, as {@code /modifications} does.
 */
class LivePolicyEndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static UpstreamServer upstream;
  private static ApiClient api;
  private final List<String> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    upstream = UpstreamServer.start().route("GET", "/x", req -> UpstreamResponse.text(200, "x"));
    api = ApiClient.admin(TapedeckSystem.shared());
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @AfterEach
  void deleteSessions() throws Exception {
    for (String id : started) {
      api.send("DELETE", "/api/v1/recorder/" + id, null);
    }
  }

  @Test
  void filtersAreValidatedReplacedAndANewRevision() throws Exception {
    String id = startSession();
    refused(id, "filters", "{\"filters\":{\"includeMethods\":[\"GE T\"],\"excludeStatus\":[999]}}",
        "filters.includeMethods[0]", "filters.excludeStatus[0]");
    refused(id, "filters", "{}", "filters");
    long revision = revision(id);
    JsonNode put = api.call("PUT", path(id, "filters"), "{\"filters\":{\"excludePaths\":[\"/health\"]}}", 200);
    assertThat(put.at("/filters/excludePaths/0").asText()).isEqualTo("/health");
    assertThat(api.call("GET", path(id, "filters"), null, 200).at("/filters/excludePaths").toString())
        .isEqualTo("[\"/health\"]");
    assertThat(revision(id)).isEqualTo(revision + 1);
    assertThat(session(id).at("/filters/excludePaths/0").asText()).isEqualTo("/health");
  }

  @Test
  void toxicsAreValidatedReadFlatAsHttpAndANewRevision() throws Exception {
    String id = startSession();
    refused(id, "toxics", "{\"toxics\":{\"http\":{\"delayMs\":-1,\"errorRate\":2}}}",
        "toxics.http.delayMs", "toxics.http.errorRate");
    refused(id, "toxics", "{\"toxics\":{\"delayMs\":5,\"http\":{\"delayMs\":6}}}", "toxics.delayMs");
    refused(id, "toxics", "{\"toxics\":{\"errorRate\":1.5}}", "toxics.http.errorRate");
    long revision = revision(id);
    JsonNode put = api.call("PUT", path(id, "toxics"), "{\"toxics\":{\"delayMs\":3000,\"errorRate\":0.1}}", 200);
    assertThat(put.at("/toxics/http/delayMs").asInt()).as("kept in the nested form").isEqualTo(3000);
    assertThat(put.at("/toxics/delayMs").isMissingNode()).isTrue();
    JsonNode got = api.call("GET", path(id, "toxics"), null, 200);
    assertThat(got.at("/toxics/http/errorRate").asDouble()).isEqualTo(0.1);
    assertThat(revision(id)).isEqualTo(revision + 1);

    api.call("PUT", path(id, "toxics"), "{\"toxics\":{\"websocket\":{\"delayMs\":10}}}", 200);
    assertThat(api.call("GET", path(id, "toxics"), null, 200).at("/toxics/http").isMissingNode())
        .as("a PUT replaces, it does not merge").isTrue();
    assertThat(revision(id)).isEqualTo(revision + 2);
  }

  @Test
  void networkProfileIsValidatedReplacedRemovedAndANewRevision() throws Exception {
    String id = startSession();
    refused(id, "network-profile", "{\"networkProfile\":\"5g\"}", "networkProfile");
    refused(id, "network-profile", "{\"networkProfile\":{\"latencyMs\":-5,\"loss\":2}}",
        "networkProfile.latencyMs", "networkProfile.loss");
    refused(id, "network-profile", "{}", "networkProfile");
    long revision = revision(id);
    JsonNode put = api.call("PUT", path(id, "network-profile"), "{\"networkProfile\":\"3g\"}", 200);
    assertThat(put.at("/networkProfile/name").asText()).isEqualTo("3g");
    assertThat(api.call("GET", path(id, "network-profile"), null, 200).at("/networkProfile/name").asText())
        .isEqualTo("3g");
    assertThat(revision(id)).isEqualTo(revision + 1);

    api.call("PUT", path(id, "network-profile"), "{\"networkProfile\":{\"latencyMs\":120}}", 200);
    assertThat(api.call("GET", path(id, "network-profile"), null, 200).at("/networkProfile/latencyMs").asInt())
        .isEqualTo(120);
    api.call("PUT", path(id, "network-profile"), "{\"networkProfile\":null}", 200);
    JsonNode removed = api.call("GET", path(id, "network-profile"), null, 200).path("networkProfile");
    assertThat(removed.isNull() || removed.isMissingNode()).isTrue();
    assertThat(session(id).has("networkProfile")).isFalse();
    assertThat(revision(id)).isEqualTo(revision + 3);
  }

  @Test
  void recordIsValidatedSwitchedAndANewRevision() throws Exception {
    String id = startSession();
    refused(id, "record", "{\"record\":\"maybe\"}", "record");
    refused(id, "record", "{}", "record");
    long revision = revision(id);
    assertThat(api.call("PUT", path(id, "record"), "{\"record\":false}", 200).get("record").asBoolean()).isFalse();
    assertThat(api.call("GET", path(id, "record"), null, 200).get("record").asBoolean()).isFalse();
    assertThat(session(id).get("record").asBoolean()).isFalse();
    assertThat(revision(id)).isEqualTo(revision + 1);
  }

  @Test
  void anotherUsersOrAnUnknownSessionIsNotFound() throws Exception {
    String id = startSession();
    ApiClient other =
        api.withKey(api.call("POST", "/api/v1/admin/users", "{\"name\":\"live-eve\"}", 201).get("apiKey").asText());
    for (String what : List.of("filters", "toxics", "network-profile", "record")) {
      assertThat(other.send("GET", path(id, what), null).statusCode()).isEqualTo(404);
      assertThat(api.send("GET", path("no-such-session", what), null).statusCode()).isEqualTo(404);
    }
    assertThat(other.send("PUT", path(id, "record"), "{\"record\":false}").statusCode()).isEqualTo(404);
    assertThat(other.send("PUT", path(id, "filters"), "{\"filters\":{}}").statusCode()).isEqualTo(404);
    assertThat(api.call("GET", path(id, "record"), null, 200).get("record").asBoolean()).isTrue();
  }

  @Test
  void aStoppedSessionKeepsAnUpdateForItsRestart() throws Exception {
    String id = startSession();
    api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
    api.call("PUT", path(id, "toxics"), "{\"toxics\":{\"delayMs\":50}}", 200);
    api.call("PUT", path(id, "record"), "{\"record\":false}", 200);
    JsonNode restarted = api.call("POST", "/api/v1/recorder/" + id + "/restart", null, 200).get("session");
    assertThat(restarted.at("/toxics/http/delayMs").asInt()).isEqualTo(50);
    assertThat(restarted.get("record").asBoolean()).isFalse();
  }

  @Test
  void aStartMixingFlatToxicsWithProtocolKeysIsRefusedNamingTheField() throws Exception {
    HttpResponse<String> refused =
        api.send("POST", "/api/v1/recorder/start",
            "{\"targetUrl\":\"" + upstream.url() + "\",\"toxics\":{\"http\":{},\"errorRate\":0.5}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(fields(refused)).containsExactly("toxics.errorRate");
  }

  private String startSession() throws Exception {
    JsonNode session =
        api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
    started.add(session.get("id").asText());
    return session.get("id").asText();
  }

  /** A PUT refused with exactly {@code fields}, leaving the session's settings and revision. */
  private static void refused(String id, String what, String body, String... fields) throws Exception {
    JsonNode before = api.call("GET", path(id, what), null, 200);
    long revision = revision(id);
    HttpResponse<String> response = api.send("PUT", path(id, what), body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("error").asText()).isNotEmpty();
    assertThat(error.get("message").asText()).isNotEmpty();
    assertThat(fields(response)).as(body).containsExactlyInAnyOrder(fields);
    assertThat(api.call("GET", path(id, what), null, 200)).isEqualTo(before);
    assertThat(revision(id)).isEqualTo(revision);
  }

  private static List<String> fields(HttpResponse<String> response) throws Exception {
    List<String> fields = new ArrayList<>();
    JSON.readTree(response.body()).path("fields").forEach(f -> fields.add(f.get("field").asText()));
    return fields;
  }

  private static JsonNode session(String id) throws Exception {
    return api.call("GET", "/api/v1/recorder/" + id, null, 200).get("session");
  }

  private static long revision(String id) throws Exception {
    return session(id).get("revision").asLong();
  }

  private static String path(String id, String what) {
    return "/api/v1/recorder/" + id + "/" + what;
  }
}
