package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every export endpoint answers with its file, conversion options reach the converter, secrets
 * are redacted unless asked otherwise, and bad options are a 400 naming the option.
 */
class ExportEndpointsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String SECRET = "Bearer s3cr3t-token-value";
  private static UpstreamServer upstream;
  private static ApiClient api;
  private static String sessionId;

  @BeforeAll
  static void record() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    api = ApiClient.admin(system);
    upstream =
        UpstreamServer.start()
            .route("GET", "/users/42", req -> UpstreamResponse.json(200, "{\"id\":42,\"name\":\"Ada\"}"))
            .route("GET", "/users/43", req -> UpstreamResponse.json(200, "{\"id\":43,\"name\":\"Bob\"}"))
            .route("POST", "/users", req -> UpstreamResponse.json(201, "{\"id\":44}"))
            .route("GET", "/gone", req -> UpstreamResponse.text(404, "gone"));
    JsonNode session =
        api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\",\"name\":\"exports\"}", 201)
            .get("session");
    sessionId = session.get("id").asText();
    String base = "http://127.0.0.1:" + session.get("listenPort").asInt();
    for (String path : new String[] {"/users/42", "/users/43", "/gone"}) {
      CLIENT.send(
          HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", SECRET).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    CLIENT.send(
        HttpRequest.newBuilder(URI.create(base + "/users"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Eve\"}"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    api.awaitEntryTotal(sessionId, 4, Duration.ofSeconds(30));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    api.call("DELETE", "/api/v1/recorder/" + sessionId, null, 200);
    upstream.close();
  }

  @Test
  void eachFormatComesBackAsItsFile() throws Exception {
    assertThat(JSON.readTree(export("/export", "{\"format\":\"wiremock\"}", ".json")).get("mappings")).hasSize(4);
    assertThat(JSON.readTree(export("/export", "{\"format\":\"postman\"}", ".json")).at("/info/schema").asText())
        .contains("v2.1");
    assertThat(JSON.readTree(export("/export", "{\"format\":\"openapi\",\"smartMatch\":true}", ".json")).get("paths").has("/users/{id}"))
        .isTrue();
    assertThat(JSON.readTree(export("/export", "{\"format\":\"insomnia-v4\"}", ".json")).get("__export_format").asInt())
        .isEqualTo(4);
    assertThat(export("/export", "{\"format\":\"insomnia-v5\"}", ".yaml")).contains("collection");
    assertThat(export("/export", "{\"format\":\"mockd\"}", ".yaml")).contains("mocks");
    assertThat(export("/export-perf", "{}", ".js")).contains("k6/http");
    assertThat(export("/export-test", "{}", ".mjs")).contains("node:test");
    assertThat(export("/export-collection", "{\"collectionName\":\"Regression\",\"protocol\":\"tests\"}", ".json"))
        .contains("Regression");
  }

  @Test
  void optionsFilterAndRedactionIsOnUnlessTurnedOff() throws Exception {
    JsonNode onlyGets =
        JSON.readTree(export("/export", "{\"format\":\"wiremock\",\"methods\":[\"GET\"],\"statuses\":[\"2xx\"]}", ".json"));
    assertThat(onlyGets.get("mappings")).hasSize(2);

    String har = export("/export", "{}", ".har");
    assertThat(har).doesNotContain("s3cr3t-token-value");
    assertThat(export("/export", "{\"noRedact\":true}", ".har")).contains("s3cr3t-token-value");
  }

  @Test
  void badFormatsAndOptionsAreRefusedWithTheFieldNamed() throws Exception {
    JsonNode badFormat = api.call("POST", "/api/v1/recorder/" + sessionId + "/export", "{\"format\":\"pdf\"}", 400);
    assertThat(badFormat.get("error").asText()).isEqualTo("validation_error");
    assertThat(badFormat.get("message").asText()).contains("format");
    JsonNode badDuplicates =
        api.call("POST", "/api/v1/recorder/" + sessionId + "/export", "{\"duplicates\":\"sometimes\"}", 400);
    assertThat(badDuplicates.get("message").asText()).contains("duplicates");
    JsonNode unknown = api.call("POST", "/api/v1/recorder/" + sessionId + "/export", "{\"colour\":\"red\"}", 400);
    assertThat(unknown.toString()).contains("colour");
  }

  private static String export(String endpoint, String body, String extension) throws Exception {
    HttpResponse<String> response = api.send("POST", "/api/v1/recorder/" + sessionId + endpoint, body);
    assertThat(response.statusCode()).as(endpoint + " " + body + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains(extension);
    return response.body();
  }
}
