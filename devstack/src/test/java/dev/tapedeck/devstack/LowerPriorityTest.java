package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LowerPriorityTest {

  @Test
  void theWorkAndEveryThreadItStartsRunAtTheLowerPriorityWhileTheCallerKeepsItsOwn() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "no /proc/thread-self: not Linux");
    int own = LowerPriority.currentThreadNiceness().orElseThrow();

    AtomicReference<Optional<Integer>> child = new AtomicReference<>();
    Optional<Integer> work =
        LowerPriority.call(
            "lower-priority-test",
            10,
            () -> {
              Thread started = new Thread(() -> child.set(LowerPriority.currentThreadNiceness()));
              started.start();
              try {
                started.join();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return LowerPriority.currentThreadNiceness();
            });

    assertThat(work).contains(Math.min(19, own + 10));
    assertThat(child.get()).contains(Math.min(19, own + 10));
    assertThat(LowerPriority.currentThreadNiceness()).contains(own);
  }

  @Test
  void whatTheWorkThrowsReachesTheCaller() {
    assertThatThrownBy(
            () ->
                LowerPriority.call(
                    "lower-priority-test",
                    10,
                    () -> {
                      throw new StackStartException("port taken");
                    }))
        .isInstanceOf(StackStartException.class)
        .hasMessage("port taken");
  }
}
