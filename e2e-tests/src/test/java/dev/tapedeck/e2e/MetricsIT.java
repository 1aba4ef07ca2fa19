package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The tapedeck_ metrics each service exports at /q/metrics move with the traffic. */
class MetricsIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final int REQUESTS = 5;
  private static final int BODY = 1024;

  @Test
  void capturedExchangesShowUpInEveryServicesMetrics() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/kib", req -> UpstreamResponse.text(200, "k".repeat(BODY)))) {
      double exchangesBefore = value(system, "proxy", "tapedeck_proxy_exchanges_total{outcome=\"ok\",type=\"http\"}");
      double bytesBefore = value(system, "proxy", "tapedeck_proxy_bytes_total{direction=\"response\"}");
      double storedBefore = value(system, "storage", "tapedeck_storage_entries_stored_total");
      double publishedBefore = value(system, "proxy", "tapedeck_capture_published_total");
      double acknowledgedBefore = value(system, "proxy", "tapedeck_capture_acknowledged_seconds_count");
      double sentBefore = ServiceMetrics.value(system.service("proxy"), "kafka_producer_record_send_total");
      double fetchesBefore = ServiceMetrics.value(system.service("storage"), "kafka_consumer_fetch_manager_fetch_total");

      JsonNode session =
          api.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> r =
            CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/kib")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      api.awaitEntryTotal(id, REQUESTS, Duration.ofSeconds(30));

      assertThat(value(system, "control", "tapedeck_sessions_running")).isGreaterThanOrEqualTo(1);
      assertThat(value(system, "proxy", "tapedeck_proxy_exchanges_total{outcome=\"ok\",type=\"http\"}") - exchangesBefore)
          .isEqualTo(REQUESTS);
      assertThat(value(system, "proxy", "tapedeck_proxy_bytes_total{direction=\"response\"}") - bytesBefore)
          .isEqualTo(REQUESTS * BODY);
      assertThat(value(system, "proxy", "tapedeck_capture_published_total") - publishedBefore).isEqualTo(REQUESTS);
      assertThat(value(system, "proxy", "tapedeck_capture_acknowledged_seconds_count") - acknowledgedBefore)
          .as("every capture published straight to Kafka is timed to its acknowledgement")
          .isEqualTo(REQUESTS);
      assertThat(value(system, "storage", "tapedeck_storage_entries_stored_total") - storedBefore)
          .isEqualTo(REQUESTS);
      assertThat(ServiceMetrics.value(system.service("proxy"), "kafka_producer_record_send_total") - sentBefore)
          .as("the capture producer's own Kafka metrics count every capture it sent")
          .isEqualTo(REQUESTS);
      assertThat(ServiceMetrics.value(system.service("storage"), "kafka_consumer_fetch_manager_fetch_total") - fetchesBefore)
          .as("the exchange consumer's own Kafka metrics count its fetches")
          .isPositive();
      String proxyMetrics = scrape(system, "proxy");
      assertThat(proxyMetrics).contains("kafka_producer_record_send_total{client_id=\"tapedeck-proxy\",");
      assertThat(scrape(system, "storage")).containsPattern("(?m)^kafka_consumer_fetch_manager_fetch_total\\{client_id=\"[^\"]+\",");
      assertThat(proxyMetrics).contains("tapedeck_proxy_upstream_duration_seconds_bucket{le=");
      assertThat(proxyMetrics).contains("tapedeck_capture_dropped_total");
      assertThat(proxyMetrics).contains("tapedeck_capture_acknowledged_seconds_bucket{le=\"0.005\"}");
      assertThat(scrape(system, "storage")).contains("tapedeck_storage_consumer_lag");

      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  private static String scrape(TapedeckSystem system, String service) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.service(service).url() + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sample's value, 0 when the series is not exported yet. */
  private static double value(TapedeckSystem system, String service, String series) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape(system, service));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
