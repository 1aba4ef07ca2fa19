package dev.tapedeck.benchmark;

import dev.tapedeck.devstack.ProcStat;
import java.util.List;
import java.util.Map;

/**
 * The CPU a JVM's just-in-time compiler threads ({@code C1 CompilerThread*}, {@code C2
 * CompilerThread*}; Linux shows the first 15 characters of a thread's name) used, from {@code
 * /proc/<pid>/task}: while they are busy the JVM is still warming up, however steady its rate
 * looks. A rate can hold still for a while at half speed as the hot methods wait in the compile
 * queue.
 */
final class CompilerMeter {
  private final long pid;
  /**
   * Each compiler thread's ticks at the previous reading: HotSpot starts and stops compiler threads
   * as the queue grows and shrinks, so a total would drop when one ends ({@link ProcThreads}).
   */
  private Map<String, Long> lastTicks;
  private long lastNanos;

  private CompilerMeter(long pid) {
    this.pid = pid;
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

  /** CPU ticks each living compiler thread used so far, by thread. */
  private Map<String, Long> ticks() {
    return ProcThreads.read(
        List.of(pid), CompilerMeter::isCompiler, thread -> ProcStat.read(thread.resolve("stat")).cpuTicks());
  }
}
