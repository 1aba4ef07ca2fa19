package dev.tapedeck.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * How long the threads that serve a target's requests ran, and how long they waited for a CPU while
 * they could have run, from the scheduler's {@code /proc/<pid>/task/<tid>/schedstat}. On a machine
 * whose cores the load generator, the upstream and the recording pipeline share, the time a
 * request's thread waits for a core adds to its latency as surely as the proxy's own code does,
 * and no faster code in the proxy removes it.
 */
final class RunQueueMeter {
  /** Nanoseconds threads ran and waited runnable. */
  record Reading(long ranNanos, long waitedNanos) {
    Reading minus(Reading earlier) {
      return new Reading(ranNanos - earlier.ranNanos, waitedNanos - earlier.waitedNanos);
    }

    Reading plus(Reading other) {
      return new Reading(ranNanos + other.ranNanos, waitedNanos + other.waitedNanos);
    }
  }

  /**
   * Each serving thread's figures so far, by {@code <pid>/<tid>}. Kept per thread because a thread
   * that ends takes its figures with it: a total would drop.
   */
  record Snapshot(Map<String, Reading> threads) {
    /** What the threads living now did since {@code earlier}; a thread started since counts whole. */
    Reading since(Snapshot earlier) {
      Reading total = NONE;
      for (Map.Entry<String, Reading> thread : threads.entrySet()) {
        total = total.plus(thread.getValue().minus(earlier.threads.getOrDefault(thread.getKey(), NONE)));
      }
      return total;
    }
  }

  private static final Reading NONE = new Reading(0, 0);

  private final long pid;
  private final Predicate<String> serving;

  private RunQueueMeter(long pid, Predicate<String> serving) {
    this.pid = pid;
    this.serving = serving;
  }

  /** The proxy's event loops: Vert.x's {@code vert.x-eventloop-thread-N} (Linux keeps 15 characters). */
  static RunQueueMeter eventLoops(long pid) {
    return new RunQueueMeter(pid, name -> name.startsWith("vert.x-eventloo"));
  }

  /** Every thread of {@code pid} and of the processes it started: nginx's single-threaded workers. */
  static RunQueueMeter allThreads(long pid) {
    return new RunQueueMeter(pid, name -> true);
  }

  /** The serving threads' figures so far. */
  Snapshot read() {
    List<Long> pids =
        Stream.concat(
                Stream.of(pid),
                ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid))
            .toList();
    return new Snapshot(ProcThreads.read(pids, serving, RunQueueMeter::schedstat));
  }

  /** A thread's figures: {@code schedstat} reads "<ran ns> <waited ns> <timeslices>". */
  private static Reading schedstat(Path thread) throws IOException {
    String[] fields = Files.readString(thread.resolve("schedstat")).strip().split(" ");
    return new Reading(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
  }
}
