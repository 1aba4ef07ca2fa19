package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CI job's last step: it exports the session the moment its tests end, and the file holds every
 * exchange the tests were answered. Storage-service is suspended (SIGSTOP) while the load runs, so
 * all of its captures wait in Kafka, and resumed just before the export is asked for; the export
 * waits for them to be stored instead of reading what storage has so far, and a job that counts
 * entries can ask for the same wait.
 */
class ExportAfterLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern NUMBER = Pattern.compile("[?&]i=(\\d+)");
  private static final int REQUESTS = 400;
  private static ApiClient api;

  @BeforeAll
  static void connect() {
    api = ApiClient.admin(TapedeckSystem.shared());
  }

  @Test
  void anExportRightAfterALoadHoldsEveryExchangeTheLoadWasAnswered() throws Exception {
    try (UpstreamServer upstream = upstream()) {
      String id = recordWhileStorageIsSuspended(upstream);

      long started = System.nanoTime();
      HttpResponse<String> export =
          api.send("POST", "/api/v1/recorder/" + id + "/export", "{\"format\":\"har\"}");
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("export right after %d requests took %d ms%n", REQUESTS, tookMillis);

      assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
      List<Integer> exported = new ArrayList<>();
      for (JsonNode entry : JSON.readTree(export.body()).path("log").path("entries")) {
        Matcher m = NUMBER.matcher(entry.path("request").path("url").asText());
        assertThat(m.find()).isTrue();
        exported.add(Integer.parseInt(m.group(1)));
      }
      exported.sort(null);
      assertThat(exported)
          .as("every answered exchange is in the export, once")
          .isEqualTo(IntStream.rangeClosed(1, REQUESTS).boxed().toList());
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  @Test
  void aJobThatCountsEntriesAsksWhetherIngestionCaughtUpFirst() throws Exception {
    try (UpstreamServer upstream = upstream()) {
      String id = recordWhileStorageIsSuspended(upstream);

      JsonNode state = api.call("GET", "/api/v1/recorder/" + id + "/ingestion?wait=60", null, 200);
      assertThat(state.get("sessionId").asText()).isEqualTo(id);
      assertThat(state.get("caughtUp").asBoolean()).isTrue();
      assertThat(state.get("pendingRecords").asLong()).isZero();
      assertThat(state.get("entryCount").asLong()).isEqualTo(REQUESTS);
      assertThat(api.call("GET", "/api/v1/recorder/" + id + "/entries?limit=1", null, 200).get("total").asLong())
          .isEqualTo(REQUESTS);

      JsonNode tooLong = api.call("GET", "/api/v1/recorder/" + id + "/ingestion?wait=301", null, 400);
      assertThat(tooLong.get("error").asText()).isEqualTo("validation_error");
      assertThat(tooLong.get("fields").get(0).get("field").asText()).isEqualTo("wait");
      api.call("GET", "/api/v1/recorder/no-such-session/ingestion", null, 404);
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  private static UpstreamServer upstream() throws Exception {
    String body = "{\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
    return UpstreamServer.start().route("GET", "/n", req -> UpstreamResponse.json(200, body));
  }

  /**
   * Starts a session and sends {@link #REQUESTS} numbered requests through it while storage-service
   * is suspended, then resumes it; returns the session id. Every request must be answered.
   */
  private static String recordWhileStorageIsSuspended(UpstreamServer upstream) throws Exception {
    JsonNode session =
        api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
            .get("session");
    String base = "http://127.0.0.1:" + session.get("listenPort").asInt() + "/n?i=";
    ServiceProcess storage = TapedeckSystem.shared().service("storage");
    storage.suspend();
    try {
      for (int i = 1; i <= REQUESTS; i++) {
        HttpResponse<Void> r =
            CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + i)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
      }
    } finally {
      storage.resume();
    }
    return session.get("id").asText();
  }
}
