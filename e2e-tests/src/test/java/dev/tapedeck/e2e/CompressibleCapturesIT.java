package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.Service;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Captures travel to Kafka compressed (snappy), and Kafka's fetch limits count compressed bytes, so
 * the worst case for storage-service's memory is a backlog of large bodies that compress best: 1 MiB
 * of zeros (the default capture limit) shrinks about twentyfold. 300 of them, in four sessions
 * (spread over the topic's partitions) recorded while storage-service is suspended, are all stored
 * once it resumes, by storage with a 256 MiB heap, which neither restarts nor runs out of memory.
 */
class CompressibleCapturesIT {
  private static final int SESSIONS = 4;
  private static final int PER_SESSION = 75;
  private static final int BODY = 1024 * 1024;

  @Test
  void aBacklogOfTheMostCompressibleLargeBodiesIsStoredWithinStoragesHeap() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess storage = system.service("storage");
    // The heap storage had when its fetch limits were set (the dev stack gives it 512 MiB now, in
    // which the old limits fit too): the bound must hold at 256 MiB, with the collector it has.
    storage.restartWithJvmOptions(Service.STORAGE.jvmOptions(256));
    storage.awaitReady(Duration.ofSeconds(60));
    long storagePid = storage.pid();
    assertThat(ProcessHandle.of(storagePid).flatMap(p -> p.info().arguments()).map(List::of).orElseThrow())
        .contains("-Xmx256m");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/zeros", req -> UpstreamResponse.bytes(200, "application/octet-stream", new byte[BODY]))) {
      List<String> ids = new ArrayList<>();
      List<URI> uris = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        JsonNode session =
            api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
                .get("session");
        ids.add(session.get("id").asText());
        uris.add(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/zeros"));
      }

      List<Future<Integer>> sent = new ArrayList<>();
      storage.suspend();
      try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
        for (int i = 0; i < SESSIONS * PER_SESSION; i++) {
          URI uri = uris.get(i % SESSIONS);
          sent.add(
              clients.submit(
                  () ->
                      client
                          .send(
                              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()));
        }
      } finally {
        storage.resume();
      }
      for (Future<Integer> status : sent) {
        assertThat(status.get()).isEqualTo(200);
      }

      for (String id : ids) {
        JsonNode state = api.call("GET", "/api/v1/recorder/" + id + "/ingestion?wait=120", null, 200);
        assertThat(state.get("caughtUp").asBoolean()).as(state.toString()).isTrue();
        assertThat(state.get("entryCount").asLong()).as(state.toString()).isEqualTo(PER_SESSION);
      }
      JsonNode entry =
          api.call("GET", "/api/v1/recorder/" + ids.getFirst() + "/entries?limit=1", null, 200).get("entries").get(0);
      JsonNode body = entry.path("response").path("body");
      assertThat(body.path("size").asLong()).as(body.toString()).isEqualTo(BODY);
      assertThat(body.path("truncated").asBoolean()).isFalse();

      assertThat(storage.pid()).as("storage-service was not restarted").isEqualTo(storagePid);
      assertThat(storage.isAlive()).isTrue();
      assertThat(Files.readString(storage.logFile())).doesNotContain("OutOfMemoryError");
      for (String id : ids) {
        api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
      }
    } finally {
      storage.resume();
      storage.restart();
      storage.awaitReady(Duration.ofSeconds(60));
    }
  }
}
