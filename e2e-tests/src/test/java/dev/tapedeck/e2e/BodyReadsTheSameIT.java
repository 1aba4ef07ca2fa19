package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One recorded body reads the same in the entries API and in the HAR export, and equals what the
 * upstream sent: a latin-1 CSV in its declared charset, UTF-8 JSON with non-ASCII text (plain
 * and gzip-encoded), and a binary image as the same base64.
 */
class BodyReadsTheSameIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static final String CSV = "name;city;street\nRené;Zürich;Hauptstraße 5\nJürgen;Köln;Große Gasse\n";
  private static final String CSV_TYPE = "text/csv; charset=iso-8859-1";
  private static final String JSON = "{\"city\":\"Łódź\",\"greeting\":\"grüß dich\",\"cup\":\"☕\"}";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, (byte) 0xff};

  private static TapedeckSystem system;
  private static ApiClient api;
  private static UpstreamServer upstream;
  private static String base;
  private static String proxy;

  @BeforeAll
  static void start() throws Exception {
    system = TapedeckSystem.shared();
    api = ApiClient.admin(system);
    upstream =
        UpstreamServer.start()
            .route("GET", "/report.csv", req -> UpstreamResponse.bytes(200, CSV_TYPE, CSV.getBytes(StandardCharsets.ISO_8859_1)))
            .route("GET", "/city.json", req -> UpstreamResponse.json(200, JSON))
            .route(
                "GET",
                "/city.json.gz",
                req ->
                    UpstreamResponse.bytes(200, "application/json", gzip(JSON.getBytes(StandardCharsets.UTF_8)))
                        .withHeader("Content-Encoding", "gzip"))
            .route("GET", "/logo.png", req -> UpstreamResponse.bytes(200, "image/png", PNG));
    JsonNode session =
        api.call("POST", "/api/v1/recorder/start", "{\"name\":\"bodies\",\"targetUrl\":\"" + upstream.url() + "\"}", 201)
            .get("session");
    base = "/api/v1/recorder/" + session.get("id").asText();
    proxy = "http://127.0.0.1:" + session.get("listenPort").asInt();
  }

  @AfterAll
  static void stop() throws Exception {
    api.call("DELETE", base, null, 200);
    upstream.close();
  }

  @Test
  void aLatin1CsvAndAUtf8JsonReadTheSameInTheApiAndInTheHar() throws Exception {
    assertThat(new String(get("/report.csv"), StandardCharsets.ISO_8859_1)).as("the client gets latin-1 bytes").isEqualTo(CSV);
    assertThat(new String(get("/city.json"), StandardCharsets.UTF_8)).isEqualTo(JSON);
    get("/city.json.gz");
    assertThat(get("/logo.png")).isEqualTo(PNG);
    JsonNode har = awaitHar(4);

    assertReadsTheSame("/report.csv", har, CSV, false, CSV_TYPE);
    assertReadsTheSame("/city.json", har, JSON, false, "application/json");
    assertReadsTheSame("/city.json.gz", har, JSON, false, "application/json");
    assertReadsTheSame("/logo.png", har, Base64.getEncoder().encodeToString(PNG), true, "image/png");
  }

  private static void assertReadsTheSame(String path, JsonNode har, String expected, boolean base64, String type)
      throws Exception {
    JsonNode harEntry = harEntry(har, upstream.url() + path);
    JsonNode harContent = harEntry.get("response").get("content");
    String entryId = harEntry.get("_entryId").asText();
    JsonNode apiBody = api.call("GET", base + "/entries/" + entryId, null, 200).get("entry").get("response").get("body");

    String apiShown = base64 ? apiBody.get("base64").asText() : apiBody.get("text").asText();
    assertThat(apiShown).as("API body of " + path).isEqualTo(expected);
    assertThat(apiBody.has(base64 ? "text" : "base64")).as("API shows " + path + " one way only").isFalse();
    assertThat(harContent.get("text").asText()).as("HAR text of " + path).isEqualTo(apiShown);
    assertThat(harContent.path("encoding").asText("")).as("HAR encoding of " + path).isEqualTo(base64 ? "base64" : "");
    assertThat(harContent.get("mimeType").asText()).isEqualTo(apiBody.get("contentType").asText()).isEqualTo(type);
  }

  private static JsonNode awaitHar(int entries) throws Exception {
    api.awaitEntryTotal(base.substring(base.lastIndexOf('/') + 1), entries, Duration.ofSeconds(30));
    return api.call("POST", base + "/export", "{\"entryIds\":[]}", 200);
  }

  private static byte[] get(String path) throws Exception {
    HttpResponse<byte[]> response =
        CLIENT.send(HttpRequest.newBuilder(URI.create(proxy + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static JsonNode harEntry(JsonNode har, String url) {
    for (JsonNode entry : har.get("log").get("entries")) {
      if (entry.get("request").get("url").asText().equals(url)) {
        return entry;
      }
    }
    throw new AssertionError("no HAR entry for " + url + " in " + har);
  }

  private static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
