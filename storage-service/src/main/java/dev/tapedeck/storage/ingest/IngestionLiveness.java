package dev.tapedeck.storage.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Whether the ingestion loop is alive. The loop retries every {@link RuntimeException} itself; an
 * {@link Error} (out of memory, a stack overflow, a linkage error) ends its thread, and a storage
 * process without it answers queries but stores nothing more. The thread's death turns {@code
 * /q/health/live} DOWN, naming the error, so Kubernetes restarts the pod and the consumer group
 * hands its partitions on; nothing is lost, since offsets are committed only after a batch is
 * stored.
 */
@Liveness
@ApplicationScoped
public class IngestionLiveness implements HealthCheck, Thread.UncaughtExceptionHandler {
  private static final Logger LOG = Logger.getLogger(IngestionLiveness.class);

  private volatile Throwable died;

  @Override
  public void uncaughtException(Thread t, Throwable e) {
    died = e;
    LOG.fatalf(e, "The ingestion loop (thread %s) died: nothing more is stored until storage-service restarts", t.getName());
  }

  @Override
  public HealthCheckResponse call() {
    Throwable e = died;
    return e == null
        ? HealthCheckResponse.up("ingestion")
        : HealthCheckResponse.named("ingestion").down().withData("error", String.valueOf(e)).build();
  }
}
