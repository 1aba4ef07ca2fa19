package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's figures for this JVM's own threads: three threads busy at once on a machine whose
 * cores they outnumber must have waited for one, and only threads named as the proxy's event loops
 * count as its serving threads.
 */
class RunQueueMeterTest {
  private static final long PID = ProcessHandle.current().pid();

  @Test
  void countsWhatTheEventLoopsRanAndWaited() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/self/schedstat")), "the kernel keeps no scheduler statistics");
    int busy = Runtime.getRuntime().availableProcessors() + 1;
    RunQueueMeter loops = RunQueueMeter.eventLoops(PID);

    // An event loop that ran before the first reading and ends before the second (another test's
    // Vert.x instance, closed): its figures go with it, and must not count against the others'.
    CountDownLatch endNow = new CountDownLatch(1);
    CountDownLatch earlierDone = new CountDownLatch(1);
    Thread earlier = spin("vert.x-eventloop-thread-9", 700, earlierDone, endNow);
    assertThat(earlierDone.await(30, TimeUnit.SECONDS)).isTrue();
    RunQueueMeter.Snapshot before = loops.read();
    endNow.countDown();
    earlier.join();

    // The threads stay alive until read: the scheduler's figures of an ended thread are gone.
    CountDownLatch read = new CountDownLatch(1);
    List<CountDownLatch> spun = new ArrayList<>();
    for (int i = 0; i < busy; i++) {
      spun.add(spinning("vert.x-eventloop-thread-" + i, 400, read));
    }
    spun.add(spinning("not-a-loop", 1000, read));
    for (CountDownLatch done : spun) {
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }
    RunQueueMeter.Reading used = loops.read().since(before);
    read.countDown();

    // Each loop thread ran its 400 ms; the other thread's second is not counted.
    assertThat(used.ranNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200L * busy));
    assertThat(used.ranNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(520L * busy));
    // More busy threads than cores: together they waited for a core.
    assertThat(used.waitedNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void allThreadsCountsEveryThreadOfTheProcess() {
    assumeTrue(Files.exists(Path.of("/proc/self/schedstat")), "the kernel keeps no scheduler statistics");
    RunQueueMeter.Snapshot none = new RunQueueMeter.Snapshot(Map.of());
    RunQueueMeter.Reading loops = RunQueueMeter.eventLoops(PID).read().since(none);
    RunQueueMeter.Reading all = RunQueueMeter.allThreads(PID).read().since(none);

    assertThat(all.ranNanos()).isGreaterThan(loops.ranNanos());
  }

  /**
   * Starts a thread named {@code name} that keeps a core busy for {@code millis} of its own CPU
   * time, then counts down the latch returned and lives on until {@code release}.
   */
  private static CountDownLatch spinning(String name, long millis, CountDownLatch release) {
    CountDownLatch done = new CountDownLatch(1);
    spin(name, millis, done, release);
    return done;
  }

  /** {@link #spinning}, with the latch given and the thread returned. */
  private static Thread spin(String name, long millis, CountDownLatch done, CountDownLatch release) {
    Thread thread =
        new Thread(
            () -> {
              var bean = java.lang.management.ManagementFactory.getThreadMXBean();
              long until = bean.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(millis);
              long x = 0;
              while (bean.getCurrentThreadCpuTime() < until) {
                x += System.nanoTime() & 1;
              }
              if (x == 42) {
                System.out.print("");
              }
              done.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
