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
import org.junit.jupiter.api.Test;

/**
 * One recorded body reads the same in the entries API and in the HAR export: a latin-1 CSV in its
 * declared charset, and UTF-8 JSON with non-ASCII text, each equal to what the upstream sent.
 */
class BodyReadsTheSameIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static final String CSV = "name;city;street\nRené;Zürich;Hauptstraße 5\nJürgen;Köln;Große Gasse\n";
  private static final String CSV_TYPE = "text/csv; charset=iso-8859-1";
  private static final String JSON = "{\"city\":\"Łódź\",\"greeting\":\"grüß dich\",\"cup\":\"☕\"}";

  @Test
  void aLatin1CsvAndAUtf8JsonReadTheSameInTheApiAndInTheHar() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/report.csv", req -> UpstreamResponse.bytes(200, CSV_TYPE, CSV.getBytes(StandardCharsets.ISO_8859_1)))
            .route("GET", "/city.json", req -> UpstreamResponse.json(200, JSON))) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"name\":\"bodies\",\"targetUrl\":\"" + upstream.url() + "\"}", 201)
              .get("session");
      String base = "/api/v1/recorder/" + session.get("id").asText();
      String proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();

      HttpResponse<byte[]> csv = get(proxy + "/report.csv");
      assertThat(new String(csv.body(), StandardCharsets.ISO_8859_1)).as("the client gets the latin-1 bytes").isEqualTo(CSV);
      HttpResponse<byte[]> json = get(proxy + "/city.json");
      assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo(JSON);

      api.awaitEntryTotal(session.get("id").asText(), 2, Duration.ofSeconds(30));
      JsonNode har = api.call("POST", base + "/export", "{\"entryIds\":[]}", 200);
      JsonNode listed = api.call("GET", base + "/entries", null, 200).get("entries");

      for (JsonNode listedEntry : listed) {
        String id = listedEntry.get("id").asText();
        JsonNode apiBody = api.call("GET", base + "/entries/" + id, null, 200).get("entry").get("response").get("body");
        JsonNode harContent = harEntry(har, listedEntry.get("request").get("url").asText()).get("response").get("content");
        boolean isCsv = listedEntry.get("request").get("url").asText().endsWith("/report.csv");
        String original = isCsv ? CSV : JSON;

        assertThat(apiBody.get("text").asText()).as("API text of " + id).isEqualTo(original);
        assertThat(apiBody.has("base64")).isFalse();
        assertThat(harContent.get("text").asText()).as("HAR text of " + id).isEqualTo(apiBody.get("text").asText());
        assertThat(harContent.has("encoding")).as("HAR encoding agrees with the API: text").isFalse();
        assertThat(harContent.get("mimeType").asText()).isEqualTo(apiBody.get("contentType").asText());
        assertThat(harContent.get("mimeType").asText()).isEqualTo(isCsv ? CSV_TYPE : "application/json");
      }
      api.call("DELETE", base, null, 200);
    }
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    HttpResponse<byte[]> response =
        CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  private static JsonNode harEntry(JsonNode har, String url) {
    for (JsonNode entry : har.get("log").get("entries")) {
      if (entry.get("request").get("url").asText().equals(url)) {
        return entry;
      }
    }
    throw new AssertionError("no HAR entry for " + url + " in " + har);
  }
}
