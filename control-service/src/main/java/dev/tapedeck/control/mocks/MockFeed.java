package dev.tapedeck.control.mocks;

import dev.tapedeck.proto.control.v1.InvocationBatch;
import dev.tapedeck.proto.control.v1.MockSetRequest;
import dev.tapedeck.proto.control.v1.MockSetUpdate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The control plane's side of mocks served by proxy pods: the stream of a mock set a pod follows
 * ({@code WatchMocks}) and the invocations pods report ({@code ReportInvocations}).
 */
@ApplicationScoped
public class MockFeed {
  private static final Logger LOG = Logger.getLogger(MockFeed.class);

  private final MockStore store;
  private final MockBroadcast broadcast;
  private final MockInvocations invocations;

  public MockFeed(MockStore store, MockBroadcast broadcast, MockInvocations invocations) {
    this.store = store;
    this.broadcast = broadcast;
    this.invocations = invocations;
  }

  /** The set's snapshot, then each change; the snapshot is read from MongoDB off the event loop. */
  public Multi<MockSetUpdate> watch(MockSetRequest request) {
    LOG.debugf("Proxy %s follows mock set %s/%s", request.getProxyId(), request.getOwnerId(), request.getNamespace());
    return Multi.createFrom()
        .<MockSetUpdate>emitter(
            emitter ->
                broadcast.subscribe(
                    request.getOwnerId(),
                    request.getNamespace(),
                    emitter,
                    () -> store.list(request.getOwnerId(), request.getNamespace())),
            BackPressureStrategy.BUFFER)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** Counts what a pod's mocks answered. */
  public void report(InvocationBatch batch) {
    invocations.record(batch.getInvocationsList());
  }
}
