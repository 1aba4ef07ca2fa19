package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.TapedeckSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The OpenAPI document control-service serves describes the whole public API. */
class ApiDocumentIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** Every endpoint of the public API, as docs/api.md lists them. */
  private static final List<String> ENDPOINTS =
      List.of(
          "POST /api/v1/recorder/start",
          "GET /api/v1/recorder/sessions",
          "GET /api/v1/recorder/{id}",
          "DELETE /api/v1/recorder/{id}",
          "POST /api/v1/recorder/{id}/stop",
          "POST /api/v1/recorder/{id}/restart",
          "GET /api/v1/recorder/ports",
          "GET /api/v1/recorder/port-check",
          "GET /api/v1/recorder/{id}/entries",
          "GET /api/v1/recorder/{id}/entries/{entryId}",
          "PATCH /api/v1/recorder/{id}/entries/{entryId}",
          "DELETE /api/v1/recorder/{id}/entries/{entryId}",
          "GET /api/v1/recorder/search",
          "GET /api/v1/recorder/{id}/events",
          "GET /api/v1/recorder/{id}/ws",
          "POST /api/v1/recorder/{id}/export",
          "POST /api/v1/recorder/{id}/export-perf",
          "POST /api/v1/recorder/{id}/export-test",
          "POST /api/v1/recorder/{id}/export-collection",
          "POST /api/v1/recorder/{id}/mocks",
          "GET /api/v1/mocks",
          "GET /api/v1/mocks/export",
          "GET /api/v1/mocks/{mockId}",
          "DELETE /api/v1/mocks/{mockId}",
          "POST /api/v1/mocks",
          "PUT /api/v1/mocks/{mockId}",
          "POST /api/v1/mocks/{mockId}/toggle",
          "POST /api/v1/mocks/import",
          "GET /api/v1/mocks/{mockId}/verify",
          "POST /api/v1/mocks/{mockId}/verify",
          "GET /api/v1/mocks/{mockId}/invocations",
          "DELETE /api/v1/mocks/{mockId}/invocations",
          "DELETE /api/v1/mocks/verify",
          "GET /api/v1/recorder/{id}/traffic-mode",
          "PUT /api/v1/recorder/{id}/traffic-mode",
          "GET /api/v1/recorder/{id}/map-local",
          "PUT /api/v1/recorder/{id}/map-local",
          "POST /api/v1/recorder/{id}/sequences/reset",
          "POST /api/v1/recorder/import",
          "GET /api/v1/recorder/{id}/modifications",
          "PUT /api/v1/recorder/{id}/modifications",
          "GET /api/v1/chaos",
          "GET /api/v1/recorder/ca/status",
          "POST /api/v1/recorder/ca/generate",
          "GET /api/v1/recorder/ca/download",
          "PUT /api/v1/chaos",
          "GET /api/v1/recorder/configs",
          "POST /api/v1/recorder/configs",
          "DELETE /api/v1/recorder/configs/{id}",
          "GET /api/v1/recorder/configs/{id}/export",
          "POST /api/v1/recorder/configs/import",
          "GET /api/v1/admin/users",
          "POST /api/v1/admin/users",
          "DELETE /api/v1/admin/users/{id}",
          "POST /api/v1/recorder/{id}/entries/{entryId}/replay",
          "POST /api/v1/recorder/{id}/replay",
          "GET /api/v1/recorder/{id}/replay/{jobId}",
          "GET /api/v1/recorder/{id}/noise",
          "PUT /api/v1/recorder/{id}/noise",
          "POST /api/v1/recorder/{id}/correlate");

  @Test
  void theOpenApiDocumentListsEveryEndpointWithASummary() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/q/openapi?format=json")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode document = new ObjectMapper().readTree(response.body());
    assertThat(document.get("openapi").asText()).startsWith("3.");
    assertThat(document.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");

    List<String> missing = new ArrayList<>();
    List<String> unsummarized = new ArrayList<>();
    for (String endpoint : ENDPOINTS) {
      String[] parts = endpoint.split(" ");
      JsonNode operation = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
      if (operation.isMissingNode()) {
        missing.add(endpoint);
      } else if (operation.path("summary").asText().isBlank()) {
        unsummarized.add(endpoint);
      }
    }
    assertThat(missing).as("endpoints missing from /q/openapi").isEmpty();
    assertThat(unsummarized).as("operations without a summary").isEmpty();

    HttpResponse<String> ui =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(system.controlUrl() + "/q/swagger-ui/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).containsIgnoringCase("swagger");
  }
}
