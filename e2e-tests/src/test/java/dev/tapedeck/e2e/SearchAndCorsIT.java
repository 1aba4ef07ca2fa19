package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Search across a user's traffic, scoped to what the caller may see, and CORS for browser
 * clients under the same key rules.
 */
class SearchAndCorsIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void searchFindsTextAndFiltersWithinTheCallersOwnSessions() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient admin = ApiClient.admin(system);
    ApiClient alice = admin.withKey(userKey(admin, "search-alice"));
    ApiClient bob = admin.withKey(userKey(admin, "search-bob"));
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/orders", req -> UpstreamResponse.json(200, "{\"order\":\"Zebra-Crossing-77\"}"))
            .route("POST", "/orders", req -> UpstreamResponse.json(422, "{\"error\":\"invalid\"}"))
            .route("GET", "/missing", req -> UpstreamResponse.text(404, "nope"))) {
      String body = "{\"targetUrl\":\"" + upstream.url() + "\"}";
      JsonNode aliceSession = alice.call("POST", "/api/v1/recorder/start", body, 201).get("session");
      JsonNode bobSession = bob.call("POST", "/api/v1/recorder/start", body, 201).get("session");
      String aliceId = aliceSession.get("id").asText();
      String bobId = bobSession.get("id").asText();
      Instant before = Instant.now();
      int alicePort = aliceSession.get("listenPort").asInt();
      send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alicePort + "/orders")).header("X-Trace", "Alice-Trace-1").build());
      send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alicePort + "/orders"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"Umbrella-Stand\"}"))
          .header("Content-Type", "application/json")
          .build());
      send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alicePort + "/missing")).build());
      send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bobSession.get("listenPort").asInt() + "/orders")).build());
      alice.awaitEntryTotal(aliceId, 3, Duration.ofSeconds(60));
      bob.awaitEntryTotal(bobId, 1, Duration.ofSeconds(60));

      assertThat(urls(alice, "q=zebra-crossing")).as("response body text, any case").containsExactly("/orders");
      assertThat(urls(alice, "q=alice-trace-1")).as("request header").containsExactly("/orders");
      assertThat(urls(alice, "q=" + enc("Umbrella-Stand"))).as("request body").containsExactly("/orders");
      assertThat(urls(alice, "q=missing")).as("URL").containsExactly("/missing");
      assertThat(urls(alice, "method=POST")).containsExactly("/orders");
      assertThat(urls(alice, "status=4xx")).containsExactlyInAnyOrder("/orders", "/missing");
      assertThat(urls(alice, "status=404")).containsExactly("/missing");
      assertThat(urls(alice, "host=127.0.0.*&type=http")).hasSize(3);
      assertThat(urls(alice, "host=example.com")).isEmpty();
      assertThat(urls(alice, "from=" + enc(Instant.now().plusSeconds(60).toString()))).isEmpty();
      assertThat(urls(alice, "from=" + enc(before.minusSeconds(1).toString()) + "&limit=2")).hasSize(2);
      JsonNode page = alice.call("GET", "/api/v1/recorder/search?limit=1&offset=1", null, 200);
      assertThat(page.get("total").asLong()).isEqualTo(3);
      assertThat(page.get("entries")).hasSize(1);

      // Bob's identical traffic is not in Alice's results, and her session is not his to name.
      assertThat(bob.call("GET", "/api/v1/recorder/search?q=zebra", null, 200).get("total").asLong()).isEqualTo(1);
      assertThat(alice.call("GET", "/api/v1/recorder/search?q=zebra", null, 200).get("total").asLong()).isEqualTo(1);
      bob.call("GET", "/api/v1/recorder/search?sessionId=" + aliceId, null, 404);
      assertThat(admin.call("GET", "/api/v1/recorder/search?q=zebra&sessionId=" + bobId, null, 200).get("total").asLong())
          .isEqualTo(1);

      JsonNode bad = alice.call("GET", "/api/v1/recorder/search?status=4x&type=ftp&from=yesterday&limit=0", null, 400);
      assertThat(bad.get("error").asText()).isEqualTo("validation_error");
      List<String> fields = new ArrayList<>();
      bad.get("fields").forEach(f -> fields.add(f.get("field").asText()));
      assertThat(fields).containsExactlyInAnyOrder("status", "type", "from", "limit");

      admin.call("DELETE", "/api/v1/recorder/" + aliceId, null, 200);
      admin.call("DELETE", "/api/v1/recorder/" + bobId, null, 200);
    }
  }

  @Test
  void corsAllowsLocalPagesAndStillNeedsAKey() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    String url = system.controlUrl() + "/api/v1/recorder/sessions";
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "x-api-key")
                .build());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("x-api-key");

    HttpResponse<String> withoutKey =
        send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "http://localhost:3000").build());
    assertThat(withoutKey.statusCode()).isEqualTo(401);

    HttpResponse<String> withKey =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Origin", "http://localhost:3000")
                .header("X-API-Key", system.adminKey())
                .build());
    assertThat(withKey.statusCode()).isEqualTo(200);
    assertThat(withKey.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");

    HttpResponse<String> foreign =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .build());
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  private static String userKey(ApiClient admin, String name) throws Exception {
    return admin.call("POST", "/api/v1/admin/users", "{\"name\":\"" + name + "\"}", 201).get("apiKey").asText();
  }

  private static List<String> urls(ApiClient api, String query) throws Exception {
    List<String> paths = new ArrayList<>();
    for (JsonNode e : api.call("GET", "/api/v1/recorder/search?" + query, null, 200).get("entries")) {
      paths.add(URI.create(e.get("request").get("url").asText()).getPath());
    }
    return paths;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

}
