package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton as a user drives it: the embedded stack and the four services run as
 * processes; a reverse session records a real client's traffic to a real upstream; the entries
 * API and the HAR export show exactly what passed.
 */
class RecordThroughReverseProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] LOGO = new byte[5000];
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static TapedeckSystem system;
  private static UpstreamServer upstream;
  private static String upstreamUrl;

  @BeforeAll
  static void start() {
    new Random(42).nextBytes(LOGO);
    upstream =
        UpstreamServer.start()
            .route(
                "GET",
                "/items",
                req ->
                    UpstreamResponse.json(200, "{\"items\":[{\"id\":1,\"color\":\"red\"}]}")
                        .withHeader("Set-Cookie", "a=1")
                        .withHeader("Set-Cookie", "b=2"))
            .route(
                "POST",
                "/orders",
                req ->
                    UpstreamResponse.json(201, "{\"created\":" + req.bodyText() + "}")
                        .withHeader("Location", "/orders/7"))
            .route("GET", "/logo.png", req -> UpstreamResponse.bytes(200, "image/png", LOGO));
    upstreamUrl = upstream.url();
    system = TapedeckSystem.shared();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @Test
  void recordsExactExchangesAndExportsThemAsValidHar() throws Exception {
    JsonNode session =
        api("POST", "/api/v1/recorder/start",
                "{\"name\":\"e2e-walking-skeleton\",\"mode\":\"reverse\",\"targetUrl\":\"" + upstreamUrl + "\"}")
            .expect(201)
            .json()
            .get("session");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(session.get("status").asText()).isEqualTo("running");
    assertThat(session.get("mode").asText()).isEqualTo("reverse");
    assertThat(session.get("targetUrl").asText()).isEqualTo(upstreamUrl);
    assertThat(port).isBetween(system.proxyPortRange().min(), system.proxyPortRange().max());
    assertThat(session.get("entryCount").asLong()).isZero();
    assertThat(session.hasNonNull("createdAt")).isTrue();
    assertThat(session.hasNonNull("expiresAt")).isTrue();

    // The client sees the upstream's responses unchanged, through the session's port at once.
    String proxy = "http://127.0.0.1:" + port;
    HttpResponse<String> get =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(proxy + "/items?color=red&size=2"))
                .header("X-Test", "get")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("{\"items\":[{\"id\":1,\"color\":\"red\"}]}");
    assertThat(get.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");

    String order = "{\"sku\":\"tape-90\",\"qty\":3}";
    HttpResponse<String> post =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(proxy + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(201);
    assertThat(post.body()).isEqualTo("{\"created\":" + order + "}");
    assertThat(post.headers().firstValue("Location")).contains("/orders/7");

    HttpResponse<byte[]> logo =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(proxy + "/logo.png")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(logo.statusCode()).isEqualTo(200);
    assertThat(logo.body()).isEqualTo(LOGO);
    assertThat(logo.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(upstream.requests())
        .extracting(r -> r.method() + " " + r.pathAndQuery() + " " + r.bodyText())
        .containsExactly("GET /items?color=red&size=2 ", "POST /orders " + order, "GET /logo.png ");
    assertThat(upstream.requests().get(0).header("X-Test")).contains("get");

    // The entries API shows each exchange, in order, with its fields.
    JsonNode page = awaitEntries(id, 3);
    assertThat(page.get("total").asLong()).isEqualTo(3);
    JsonNode entries = page.get("entries");
    JsonNode e1 = entries.get(0);
    assertThat(e1.get("sequence").asLong()).isEqualTo(1);
    assertThat(e1.get("entryType").asText()).isEqualTo("http");
    assertThat(e1.get("request").get("method").asText()).isEqualTo("GET");
    assertThat(e1.get("request").get("url").asText()).isEqualTo(upstreamUrl + "/items?color=red&size=2");
    assertThat(ApiClient.headerValues(e1.get("request"), "X-Test")).containsExactly("get");
    assertThat(e1.get("response").get("statusCode").asInt()).isEqualTo(200);
    assertThat(ApiClient.headerValues(e1.get("response"), "Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(e1.get("response").get("body").get("text").asText())
        .isEqualTo("{\"items\":[{\"id\":1,\"color\":\"red\"}]}");
    assertThat(e1.get("timings").get("totalMs").asDouble()).isPositive();
    assertThat(e1.get("durationMs").asDouble()).isPositive();

    JsonNode e2 = entries.get(1);
    assertThat(e2.get("request").get("method").asText()).isEqualTo("POST");
    assertThat(e2.get("request").get("body").get("text").asText()).isEqualTo(order);
    assertThat(e2.get("request").get("body").get("size").asLong()).isEqualTo(order.length());
    assertThat(e2.get("response").get("statusCode").asInt()).isEqualTo(201);
    assertThat(e2.get("response").get("body").get("text").asText()).isEqualTo("{\"created\":" + order + "}");

    JsonNode e3 = entries.get(2);
    assertThat(e3.get("request").get("url").asText()).isEqualTo(upstreamUrl + "/logo.png");
    assertThat(Base64.getDecoder().decode(e3.get("response").get("body").get("base64").asText())).isEqualTo(LOGO);
    assertThat(e3.get("response").get("body").get("truncated").asBoolean()).isFalse();

    JsonNode one = api("GET", "/api/v1/recorder/" + id + "/entries/" + e2.get("id").asText(), null).expect(200).json();
    assertThat(one.get("entry").get("request").get("body").get("text").asText()).isEqualTo(order);

    JsonNode sessions = api("GET", "/api/v1/recorder/sessions", null).expect(200).json().get("sessions");
    JsonNode listed = null;
    for (JsonNode s : sessions) {
      if (s.get("id").asText().equals(id)) {
        listed = s;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("entryCount").asLong()).isEqualTo(3);
    assertThat(listed.get("name").asText()).isEqualTo("e2e-walking-skeleton");

    // The HAR export is valid HAR 1.2 and holds the same exchanges.
    ApiClient.Answer export = api("POST", "/api/v1/recorder/" + id + "/export", "{\"entryIds\":[]}").expect(200);
    assertThat(export.response().headers().firstValue("Content-Disposition").orElse("")).contains(".har");
    assertThat(HarSchema.validate(export.body())).isEmpty();
    JsonNode har = JSON.readTree(export.body());
    assertThat(har.get("log").get("version").asText()).isEqualTo("1.2");
    JsonNode harEntries = har.get("log").get("entries");
    assertThat(harEntries).hasSize(3);
    assertThat(harEntries.get(0).get("request").get("url").asText()).isEqualTo(upstreamUrl + "/items?color=red&size=2");
    assertThat(harEntries.get(0).get("request").get("queryString").toString()).contains("\"color\"").contains("\"red\"");
    assertThat(harEntries.get(1).get("request").get("method").asText()).isEqualTo("POST");
    assertThat(harEntries.get(1).get("request").get("postData").get("text").asText()).isEqualTo(order);
    assertThat(harEntries.get(1).get("response").get("status").asInt()).isEqualTo(201);
    // The upstream's IP address, without the port the proxy also records.
    for (JsonNode e : harEntries) {
      assertThat(e.path("serverIPAddress").asText()).as("serverIPAddress").isEqualTo("127.0.0.1");
      // HAR 1.2: the entry's time is the sum of its timings (ssl is inside connect).
      JsonNode t = e.get("timings");
      int sum = 0;
      for (String phase : new String[] {"blocked", "dns", "connect", "send", "wait", "receive"}) {
        sum += Math.max(0, t.get(phase).asInt());
      }
      assertThat(e.get("time").asInt()).as("time, against the timings %s", t).isEqualTo(sum);
    }
    JsonNode pngContent = harEntries.get(2).get("response").get("content");
    assertThat(pngContent.get("encoding").asText()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(pngContent.get("text").asText())).isEqualTo(LOGO);

    // Exporting chosen entries only.
    ApiClient.Answer subset =
        api("POST", "/api/v1/recorder/" + id + "/export", "{\"entryIds\":[\"" + e2.get("id").asText() + "\"]}").expect(200);
    assertThat(JSON.readTree(subset.body()).get("log").get("entries")).hasSize(1);

    // Stop closes the listener; the entries stay.
    JsonNode stopped = api("POST", "/api/v1/recorder/" + id + "/stop", null).expect(200).json().get("session");
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
    assertThat(stopped.get("entryCount").asLong()).isEqualTo(3);
    assertThat(awaitRefused(proxy + "/items")).as("proxy port closed within a second of stop").isTrue();
    assertThat(api("GET", "/api/v1/recorder/" + id + "/entries", null).expect(200).json().get("total").asLong()).isEqualTo(3);
  }

  @Test
  void refusesCallsWithoutAValidKey() throws Exception {
    HttpResponse<String> none =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/sessions")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    JsonNode error = JSON.readTree(none.body());
    assertThat(error.get("error").asText()).isEqualTo("unauthorized");
    assertThat(error.get("message").asText()).isNotBlank();

    HttpResponse<String> wrong =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/sessions"))
                .header("Authorization", "Bearer not-the-key")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);

    HttpResponse<String> header =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/api/v1/recorder/sessions"))
                .header("X-API-Key", system.adminKey())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(header.statusCode()).isEqualTo(200);
    HttpResponse<String> query =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(system.controlUrl() + "/api/v1/recorder/sessions?api_key=" + system.adminKey()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(query.statusCode()).isEqualTo(200);

    HttpResponse<String> openapi =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/q/openapi?format=json")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body())
        .contains("/api/v1/recorder/start", "/api/v1/recorder/{id}/entries", "/api/v1/recorder/{id}/export");

    for (String service : List.of("control", "proxy", "storage", "converter")) {
      String base = system.service(service).url();
      assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/q/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as(service + " health without a key").isEqualTo(200);
      HttpResponse<String> metrics =
          CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).as(service + " metrics without a key").isEqualTo(200);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void explainsEveryInvalidFieldAndUnknownSessions() throws Exception {
    JsonNode invalid =
        api("POST", "/api/v1/recorder/start", "{\"mode\":\"sideways\",\"targetUrl\":\"ftp://x\",\"listenPort\":1}")
            .expect(400)
            .json();
    assertThat(invalid.get("error").asText()).isEqualTo("validation_error");
    assertThat(invalid.get("fields").findValuesAsText("field")).containsExactly("mode", "targetUrl", "listenPort");

    JsonNode unknown =
        api("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstreamUrl + "\",\"filterz\":{}}").expect(400).json();
    assertThat(unknown.get("message").asText()).contains("filterz");

    JsonNode notJson = api("POST", "/api/v1/recorder/start", "{not json").expect(400).json();
    assertThat(notJson.get("error").asText()).isEqualTo("invalid_json");

    JsonNode missing = api("GET", "/api/v1/recorder/no-such-session", null).expect(404).json();
    assertThat(missing.get("error").asText()).isEqualTo("not_found");
    api("GET", "/api/v1/recorder/no-such-session/entries", null).expect(404);
  }

  @Test
  void explicitPortInUseIsAConflict() throws Exception {
    JsonNode first =
        api("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstreamUrl + "\"}").expect(201).json().get("session");
    int port = first.get("listenPort").asInt();
    JsonNode conflict =
        api("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstreamUrl + "\",\"listenPort\":" + port + "}")
            .expect(409)
            .json();
    assertThat(conflict.get("error").asText()).isEqualTo("port_in_use");
    api("POST", "/api/v1/recorder/" + first.get("id").asText() + "/stop", null).expect(200);
  }

  private static boolean awaitRefused(String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
      } catch (ConnectException e) {
        return true;
      } catch (IOException e) {
        // A connection closed by the stopping listener; try again.
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static ApiClient.Answer api(String method, String path, String body) throws Exception {
    return ApiClient.admin(system).answer(method, path, body);
  }

  private static JsonNode awaitEntries(String id, int count) throws Exception {
    return ApiClient.admin(system).awaitEntries(id, count, Duration.ofSeconds(30));
  }
}
