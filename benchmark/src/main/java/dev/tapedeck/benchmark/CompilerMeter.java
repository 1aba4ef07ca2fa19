package dev.tapedeck.benchmark;

import dev.tapedeck.devstack.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU a JVM's just-in-time compiler threads ({@code C1 CompilerThread*}, {@code C2
 * CompilerThread*}; Linux shows the first 15 characters of a thread's name) used, from {@code
 * /proc/<pid>/task}: while they are busy the JVM is still warming up, however steady its rate
 * looks. A rate can hold still for a while at half speed as the hot methods wait in the compile
 * queue.
 */
final class CompilerMeter {
  private final Path tasks;
  /**
   * Each compiler thread's ticks at the previous reading, by thread id: HotSpot starts and stops
   * compiler threads as the queue grows and shrinks, so a total would drop when one ends.
   */
  private Map<String, Long> lastTicks;
  private long lastNanos;

  private CompilerMeter(long pid) {
    this.tasks = Path.of("/proc/" + pid + "/task");
    this.lastTicks = ticks();
    this.lastNanos = System.nanoTime();
  }

  /** A meter over the compiler threads of the JVM {@code pid}, counting from now. */
  static CompilerMeter of(long pid) {
    return new CompilerMeter(pid);
  }

  /** The share of one core the compiler threads used since the previous call (or since made). */
  double shareSinceLast() {
    Map<String, Long> ticks = ticks();
    long nanos = System.nanoTime();
    long used = 0;
    for (Map.Entry<String, Long> thread : ticks.entrySet()) {
      used += thread.getValue() - lastTicks.getOrDefault(thread.getKey(), 0L);
    }
    double seconds = (nanos - lastNanos) / 1e9;
    double share = seconds <= 0 ? 0 : used / ProcStat.TICKS_PER_SECOND / seconds;
    lastTicks = ticks;
    lastNanos = nanos;
    return share;
  }

  /** Whether a thread name (as {@code /proc} gives it) is one of HotSpot's compiler threads. */
  private static boolean isCompiler(String threadName) {
    return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
  }

  /** CPU ticks each living compiler thread used so far, by thread id. */
  private Map<String, Long> ticks() {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(
          thread -> {
            ProcStat stat = stat(thread);
            if (stat != null && isCompiler(stat.name())) {
              ticks.put(thread.getFileName().toString(), stat.cpuTicks());
            }
          });
    } catch (NoSuchFileException gone) {
      // the JVM ended: nothing compiles
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tasks, e);
    }
    return ticks;
  }

  /** A thread's stat; null when it ended between the listing and the read. */
  private static ProcStat stat(Path thread) {
    try {
      return ProcStat.read(thread.resolve("stat"));
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + thread.resolve("stat"), e);
    }
  }
}
