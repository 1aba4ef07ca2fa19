package dev.tapedeck.control.entries;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.proto.storage.v1.AwaitIngestionRequest;
import dev.tapedeck.proto.storage.v1.AwaitIngestionResponse;
import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Read-your-writes before a session is read whole (an export, mocks made from it, a replay, a
 * correlation): waits until every capture of the session that reached Kafka before the request is
 * stored. Captures are stored asynchronously, so right after a load the last ones may still be on
 * their way; a file exported then would silently miss them.
 *
 * <p>{@code tapedeck.export.ingestion-wait} (30 s) bounds the wait; 0 switches it off. When
 * ingestion has not caught up by then, the request fails with 503 {@code ingestion_pending} rather
 * than answering with a part of the session (with {@code Retry-After}).
 */
@ApplicationScoped
public class IngestionWait {
  @GrpcClient("storage")
  EntryStoreGrpc.EntryStoreBlockingStub storage;

  private final Duration wait;

  /** Waits up to {@code wait}; {@link Duration#ZERO} never waits. */
  public IngestionWait(@ConfigProperty(name = "tapedeck.export.ingestion-wait") Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException(
          "tapedeck.export.ingestion-wait must be 0 (off) or more, not " + wait);
    }
    this.wait = wait;
  }

  /**
   * Returns once the session's captures published so far are stored.
   *
   * @throws ApiException 503 {@code ingestion_pending} when they are not within the configured wait
   */
  public void untilStored(String sessionId) {
    if (wait.isZero()) {
      return;
    }
    AwaitIngestionResponse progress = progress(sessionId, wait);
    if (!progress.getCaughtUp()) {
      throw new ApiException(
          503,
          "ingestion_pending",
          "Captures of this session are still being stored: "
              + progress.getPendingRecords()
              + " records of its Kafka partition were not stored after "
              + wait.toSeconds()
              + " s (tapedeck.export.ingestion-wait). Nothing is lost; try again in a few seconds");
    }
  }

  /**
   * Where ingestion stands for the session after waiting up to {@code upTo} for it to catch up
   * (zero: asks once).
   */
  public AwaitIngestionResponse progress(String sessionId, Duration upTo) {
    return storage
        .withDeadlineAfter(upTo.toMillis() + 15_000, TimeUnit.MILLISECONDS)
        .awaitIngestion(
            AwaitIngestionRequest.newBuilder()
                .setSessionId(sessionId)
                .setTimeoutMillis(upTo.toMillis())
                .build());
  }
}
