package dev.tapedeck.control.watch;

import dev.tapedeck.proto.control.v1.SessionUpdate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A proxy pod's watch stream as a test sees it: every update the broadcast sent it, in order. */
public final class WatchRecorder implements AutoCloseable {
  private final List<SessionUpdate> updates = new CopyOnWriteArrayList<>();
  private final Cancellable subscription;

  public WatchRecorder(SessionBroadcast broadcast, String proxyId) {
    subscription =
        Multi.createFrom().<SessionUpdate>emitter(e -> broadcast.subscribe(proxyId, e)).subscribe().with(updates::add);
  }

  /** The updates so far. */
  public List<SessionUpdate> updates() {
    return List.copyOf(updates);
  }

  @Override
  public void close() {
    subscription.cancel();
  }
}
