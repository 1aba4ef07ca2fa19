package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.devstack.Topics;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * One response larger than the broker takes must not wedge recording. The exchanges topic is set
 * back to Kafka's default record limit (1 MiB, what a broker without Tapedeck's topic settings
 * has), the proxy restarted so it reads it, and then: one 3 MiB response, then 600 concurrent
 * requests. Every one of the 601 is stored once, the large one cut under the limit with its full
 * size and the cut stated, and the proxy's spool is empty.
 */
class RecordLimitIT {
  private static final int KAFKA_DEFAULT_LIMIT = 1_048_588;
  private static final int BIG = 3 * 1024 * 1024;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aThreeMebibyteResponseThenSixHundredConcurrentRequestsAreAllStoredOnce() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    ServiceProcess proxy = system.service("proxy");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrap()))) {
      setRecordLimit(admin, String.valueOf(KAFKA_DEFAULT_LIMIT));
      proxy.restart();
      proxy.awaitReady(Duration.ofSeconds(60));
      awaitMetric(proxy, "tapedeck_capture_record_budget_bytes", KAFKA_DEFAULT_LIMIT - 4096);
      try (UpstreamServer upstream =
          UpstreamServer.start()
              .route("GET", "/big", req -> UpstreamResponse.bytes(200, "application/octet-stream", new byte[BIG]))
              .route("GET", "/n", req -> UpstreamResponse.text(200, "ok"))) {
        JsonNode session =
            api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
        String id = session.get("id").asText();
        String base = "http://127.0.0.1:" + session.get("listenPort").asInt();

        HttpResponse<byte[]> big =
            CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/big")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(big.body()).hasSize(BIG);

        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 1; i <= 600; i++) {
          URI uri = URI.create(base + "/n?i=" + i);
          answers.add(
              clients.submit(
                  () ->
                      CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                          .statusCode()));
        }
        for (Future<Integer> answer : answers) {
          assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }
        clients.shutdown();

        api.awaitEntryTotal(id, 601, Duration.ofSeconds(90));
        JsonNode entries = api.call("GET", "/api/v1/recorder/" + id + "/entries?offset=0&limit=1000", null, 200).get("entries");
        Set<String> urls = new HashSet<>();
        JsonNode bigEntry = null;
        for (JsonNode e : entries) {
          assertThat(urls.add(e.at("/request/url").asText())).as("stored once: %s", e.at("/request/url").asText()).isTrue();
          if (e.at("/request/url").asText().endsWith("/big")) {
            bigEntry = e;
          }
        }
        assertThat(urls).hasSize(601);
        assertThat(bigEntry).isNotNull();
        assertThat(bigEntry.at("/response/body/size").asLong()).isEqualTo(BIG);
        assertThat(bigEntry.at("/response/body/truncated").asBoolean()).isTrue();
        assertThat(bigEntry.at("/loss/kind").asText()).isEqualTo("trimmed");
        assertThat(bigEntry.at("/loss/reason").asText()).contains("record limit");
        assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_spool_records")).isZero();
        assertThat(ServiceMetrics.value(proxy, "tapedeck_capture_trimmed_total")).isGreaterThanOrEqualTo(1);
      }
    } finally {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrap()))) {
        setRecordLimit(admin, Topics.MAX_MESSAGE_BYTES);
      }
      proxy.restart();
      proxy.awaitReady(Duration.ofSeconds(60));
    }
  }

  private static void setRecordLimit(Admin admin, String bytes) throws Exception {
    admin
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, Topics.EXCHANGES),
                List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static void awaitMetric(ServiceProcess service, String name, double value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    double seen = -1;
    while (seen != value && System.nanoTime() < deadline) {
      seen = ServiceMetrics.value(service, name);
      if (seen != value) {
        Thread.sleep(200);
      }
    }
    assertThat(seen).as(name).isEqualTo(value);
  }
}
