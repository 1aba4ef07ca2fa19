package dev.tapedeck.control.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveSubscribersTest {

  /** A connection that takes a message only when the test says the previous one was written. */
  private static final class FakeConnection extends LiveSubscribers.Subscriber {
    final List<String> delivered = new ArrayList<>();
    boolean writing;
    int droppedAt = -1;
    int maxQueued;

    @Override
    protected boolean ready() {
      return !writing;
    }

    @Override
    protected void deliver(String message) {
      writing = true;
      delivered.add(message);
    }

    @Override
    protected void drop(int capacity) {
      droppedAt = capacity;
    }

    synchronized void written() {
      writing = false;
      pump();
    }
  }

  @Test
  void aSubscriberThatNeverReadsIsDroppedOnceItsQueueIsFullAndNothingMoreIsKept() {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    LiveSubscribers live = new LiveSubscribers(8, metrics);
    FakeConnection stuck = new FakeConnection();
    live.subscribe("s1", stuck);
    for (int i = 0; i < 10_000; i++) {
      live.publish("s1", "m" + i);
      stuck.maxQueued = Math.max(stuck.maxQueued, stuck.queued());
    }
    assertThat(stuck.delivered).containsExactly("m0");
    assertThat(stuck.maxQueued).isLessThanOrEqualTo(8);
    assertThat(stuck.droppedAt).isEqualTo(8);
    assertThat(stuck.queued()).isZero();
    assertThat(live.hasSubscribers("s1")).isFalse();
    assertThat(metrics.get("tapedeck_live_subscribers_dropped").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aSubscriberThatKeepsUpGetsEveryMessageInOrder() {
    LiveSubscribers live = new LiveSubscribers(4, new SimpleMeterRegistry());
    FakeConnection reader = new FakeConnection();
    FakeConnection stuck = new FakeConnection();
    live.subscribe("s1", reader);
    live.subscribe("s1", stuck);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add("m" + i);
      live.publish("s1", "m" + i);
      reader.written();
    }
    assertThat(reader.delivered).isEqualTo(sent);
    assertThat(reader.droppedAt).isEqualTo(-1);
    assertThat(stuck.droppedAt).as("a slow subscriber does not hold up the others").isEqualTo(4);
    assertThat(live.hasSubscribers("s1")).isTrue();
  }

  @Test
  void theClosingReasonFitsAWebSocketCloseFrame() {
    assertThat(LiveMessages.slowConsumerText(Integer.MAX_VALUE).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(123);
  }
}
