package dev.tapedeck.storage.query;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.storage.ingest.IngestionBarrier;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/** Maps failures of the entry queries to gRPC statuses, in one place. */
final class GrpcStatuses {

  private static final Logger LOG = Logger.getLogger(GrpcStatuses.class);

  private GrpcStatuses() {}

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** An imported exchange needs the ids everything else keys on. */
  static void requireImportable(CapturedExchange exchange) {
    if (exchange.getEntryId().isEmpty() || exchange.getSessionId().isEmpty()) {
      throw invalidArgument("an imported exchange needs entry_id and session_id");
    }
  }

  static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  /**
   * The status a failure answers with: UNAVAILABLE while MongoDB or Kafka cannot be reached (the
   * client may retry), INTERNAL for anything unexpected.
   */
  static Throwable toStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException) {
      return failure;
    }
    if (failure instanceof MongoTimeoutException || failure instanceof MongoSocketException) {
      return Status.UNAVAILABLE
          .withDescription("MongoDB is not reachable")
          .withCause(failure)
          .asRuntimeException();
    }
    if (failure instanceof IngestionBarrier.KafkaUnavailable) {
      return Status.UNAVAILABLE
          .withDescription(failure.getMessage())
          .withCause(failure)
          .asRuntimeException();
    }
    LOG.error("entry query failed", failure);
    return Status.INTERNAL
        .withDescription("entry query failed: " + failure.getMessage())
        .withCause(failure)
        .asRuntimeException();
  }
}
