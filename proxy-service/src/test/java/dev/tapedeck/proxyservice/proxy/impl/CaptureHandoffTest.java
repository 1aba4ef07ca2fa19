package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aHandOverThatFailsDoesNotHoldUpTheOnesAfterIt() {
    CaptureHandoff.Turn first = CaptureHandoff.turn();
    CaptureHandoff.publish(sink, settings, capture("after"));
    dev.tapedeck.proxyservice.proxy.spi.CaptureSink broken =
        x -> {
          throw new IllegalStateException("sink refused " + x.getEntryId());
        };
    assertThatThrownBy(() -> first.publish(broken, settings, capture("refused")))
        .hasMessage("sink refused refused");
    assertThat(accepted).containsExactly("after");
    CaptureHandoff.publish(sink, settings, capture("later"));
    assertThat(accepted).as("the line still moves").containsExactly("after", "later");
  }

  @Test
  void capturesFromSeveralThreadsAllArriveEachThreadsInItsOrder() throws Exception {
    int threads = 4;
    int each = 2_000;
    List<Thread> started = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      started.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      CaptureHandoff.publish(sink, settings, capture(prefix + i));
                    }
                  }));
    }
    for (Thread t : started) {
      t.join();
    }
    assertThat(accepted).hasSize(threads * each);
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      List<Integer> seen =
          accepted.stream().filter(id -> id.startsWith(prefix)).map(id -> Integer.parseInt(id.substring(prefix.length()))).toList();
      assertThat(seen).as(prefix).isSorted().hasSize(each);
    }
  }
}
