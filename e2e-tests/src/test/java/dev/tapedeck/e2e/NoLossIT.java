package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ServiceMetrics;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Nothing captured is lost or stored twice while storage-service stops and comes back, and then
 * while the Kafka broker does: a client sends a steady stream of numbered requests through a
 * session the whole time, and afterwards every completed request is stored exactly once, in the
 * order it was sent. The proxy runs with a 128 KiB producer buffer here, so the Kafka outage
 * fills it within a second or two and the rest goes through the proxy's disk spool.
 */
class NoLossIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern NUMBER = Pattern.compile("[?&]i=(\\d+)");
  private static final int MAX_REQUESTS = 900;

  @Test
  void storageAndKafkaOutagesLoseAndDuplicateNothing() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess proxy = system.service("proxy");
    ServiceProcess storage = system.service("storage");
    proxy.restartWith(Map.of("TAPEDECK_CAPTURE_PRODUCER_BUFFER_BYTES", "131072"));
    proxy.awaitReady(Duration.ofSeconds(60));
    double spooledBefore = ServiceMetrics.value(proxy, "tapedeck_capture_spooled_total");
    try (UpstreamServer upstream =
            UpstreamServer.start().route("GET", "/n", req -> UpstreamResponse.text(200, "ok"));
        MongoClient mongo = MongoClients.create(system.mongoUri())) {
      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      String base = "http://127.0.0.1:" + session.get("listenPort").asInt() + "/n?i=";

      List<Integer> completed = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread client =
          Thread.ofPlatform()
              .name("steady-client")
              .start(
                  () -> {
                    for (int i = 1; i <= MAX_REQUESTS && sending.get(); i++) {
                      try {
                        HttpResponse<String> r =
                            CLIENT.send(
                                HttpRequest.newBuilder(URI.create(base + i)).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                          completed.add(i);
                        } else {
                          failures.add(i + ": status " + r.statusCode());
                        }
                        Thread.sleep(25);
                      } catch (Exception e) {
                        failures.add(i + ": " + e);
                      }
                    }
                  });

      Thread.sleep(3_000);
      storage.stop();
      Thread.sleep(3_000);
      storage.restart();
      storage.awaitReady(Duration.ofSeconds(60));
      Thread.sleep(2_000);
      system.stack().stopKafka();
      Thread.sleep(7_000);
      system.stack().startKafka();
      Thread.sleep(5_000);
      sending.set(false);
      client.join();

      assertThat(failures).as("the proxy kept forwarding through both outages").isEmpty();
      assertThat(completed).hasSizeGreaterThan(300);
      api.awaitEntryTotal(id, completed.size(), Duration.ofSeconds(120));

      List<Integer> stored = new ArrayList<>();
      List<Long> sequences = new ArrayList<>();
      for (Document entry :
          mongo.getDatabase("tapedeck")
              .getCollection("entries")
              .find(Filters.eq("sessionId", id))
              .sort(Sorts.ascending("seq"))) {
        Matcher m = NUMBER.matcher(entry.getString("url"));
        assertThat(m.find()).isTrue();
        stored.add(Integer.parseInt(m.group(1)));
        sequences.add(entry.get("seq", Number.class).longValue());
      }
      assertThat(stored).as("every completed request stored once, in the order sent").isEqualTo(completed);
      assertThat(sequences.getFirst()).isEqualTo(1);
      assertThat(sequences.getLast()).isEqualTo(completed.size());
      assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_spooled_total") - spooledBefore)
          .as("the Kafka outage went through the disk spool")
          .isPositive();
      assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_spool_records")).isZero();
      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    } finally {
      proxy.restart();
      proxy.awaitReady(Duration.ofSeconds(60));
    }
  }
}
