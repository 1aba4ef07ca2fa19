package dev.tapedeck.storage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class IngestionLivenessTest {
  @Test
  void anErrorThatEndsTheIngestionThreadTurnsLivenessDownNamingIt() throws Exception {
    IngestionLiveness liveness = new IngestionLiveness();
    assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

    Thread ingestion =
        new Thread(
            () -> {
              throw new OutOfMemoryError("Java heap space");
            },
            "tapedeck-ingestion");
    ingestion.setUncaughtExceptionHandler(liveness);
    ingestion.start();
    ingestion.join();

    HealthCheckResponse response = liveness.call();
    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(response.getName()).isEqualTo("ingestion");
    assertThat(response.getData().orElseThrow().get("error").toString()).contains("OutOfMemoryError", "Java heap space");
  }
}
