package dev.tapedeck.control.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The server-sent-events form of a live stream: messages are emitted only as the HTTP layer asks
 * for them (it asks for the next once the previous is written to the socket), the rest wait in the
 * subscriber's bounded queue; a client that does not read gets a last {@code {"type":"closed",
 * "reason":"slow_consumer"}} event and the stream ends.
 */
@ApplicationScoped
public class LiveEventStream {
  private final LiveSubscribers subscribers;
  private final ObjectMapper json;

  public LiveEventStream(LiveSubscribers subscribers, ObjectMapper json) {
    this.subscribers = subscribers;
    this.json = json;
  }

  /** The live messages of {@code sessionId}, from now on. */
  public Multi<String> open(String sessionId) {
    EmitterSubscriber subscriber = new EmitterSubscriber(json);
    return Multi.createFrom()
        .<String>emitter(
            emitter -> {
              subscriber.emitter = emitter;
              emitter.onTermination(subscribers.subscribe(sessionId, subscriber));
            },
            // Only the closing event can be emitted without demand: one item at most.
            BackPressureStrategy.BUFFER)
        .onRequest()
        .invoke(subscriber::requested);
  }

  private static final class EmitterSubscriber extends LiveSubscribers.Subscriber {
    private final ObjectMapper json;
    private volatile MultiEmitter<? super String> emitter;
    private long demand;

    EmitterSubscriber(ObjectMapper json) {
      this.json = json;
    }

    synchronized void requested(long n) {
      demand = n == Long.MAX_VALUE || demand + n < 0 ? Long.MAX_VALUE : demand + n;
      pump();
    }

    @Override
    protected boolean ready() {
      return demand > 0 && emitter != null && !emitter.isCancelled();
    }

    @Override
    protected void deliver(String message) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      emitter.emit(message);
    }

    @Override
    protected void drop(int capacity) {
      MultiEmitter<? super String> e = emitter;
      if (e != null) {
        e.emit(LiveMessages.slowConsumer(json, capacity));
        e.complete();
      }
    }
  }
}
