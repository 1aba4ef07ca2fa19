package dev.tapedeck.storage.query;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
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

  static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  /**
   * The status a failure answers with: UNAVAILABLE while MongoDB cannot be reached (the client may
   * retry), INTERNAL for anything unexpected.
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
    LOG.error("entry query failed", failure);
    return Status.INTERNAL
        .withDescription("entry query failed: " + failure.getMessage())
        .withCause(failure)
        .asRuntimeException();
  }
}
