package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The line captures keep on their way to the sink, whatever thread finishes them. */
class CaptureHandoffTest {
  private final List<String> accepted = new CopyOnWriteArrayList<>();
  private final dev.tapedeck.proxyservice.proxy.spi.CaptureSink sink = x -> accepted.add(x.getEntryId());
  private final SessionSettings settings =
      SessionSettings.of(ProxySession.newBuilder().setId("s1").setMode("reverse").setTargetUrl("http://127.0.0.1:1").build());

  private static CapturedExchange capture(String id) {
    return CapturedExchange.newBuilder().setEntryId(id).setSessionId("s1").build();
  }

  @Test
  void aCaptureBuiltFasterOnAnotherThreadWaitsForTheExchangeThatEndedBeforeIt() throws Exception {
    CaptureHandoff.Turn first = CaptureHandoff.turn();
    Thread other = Thread.ofPlatform().start(() -> CaptureHandoff.turn().publish(sink, settings, capture("second")));
    other.join();
    assertThat(accepted).as("nothing overtakes an earlier turn").isEmpty();
    first.publish(sink, settings, capture("first"));
    assertThat(accepted).containsExactly("first", "second");
  }

  @Test
  void aTurnPassedWithNothingToHandOverLetsTheNextOnesGo() {
    CaptureHandoff.Turn nothing = CaptureHandoff.turn();
    CaptureHandoff.Turn durable = CaptureHandoff.turn();
    CaptureHandoff.publish(sink, settings, capture("part"));
    CompletionStage<Void> done = durable.publishDurably(sink, settings, capture("durable"));
    assertThat(accepted).isEmpty();
    assertThat(done.toCompletableFuture()).isNotDone();
    nothing.pass();
    assertThat(accepted).containsExactly("durable", "part");
    assertThat(done.toCompletableFuture()).isCompleted();
  }
}
