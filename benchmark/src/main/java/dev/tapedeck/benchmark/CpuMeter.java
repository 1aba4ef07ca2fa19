package dev.tapedeck.benchmark;

import dev.tapedeck.devstack.ProcStat;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * CPU time (user plus system, from {@code /proc/<pid>/stat}) used by a process and its descendants.
 * Per request it is the figure that holds on a noisy machine: throughput moves with whatever else
 * runs, the work one request costs does not.
 */
final class CpuMeter {
  private final List<Long> roots;
  private final boolean descendants;

  private CpuMeter(List<Long> roots, boolean descendants) {
    this.roots = List.copyOf(roots);
    this.descendants = descendants;
  }

  /** A meter over {@code pids} and whatever they have started. */
  static CpuMeter of(long... pids) {
    List<Long> roots = new ArrayList<>();
    for (long pid : pids) {
      roots.add(pid);
    }
    return new CpuMeter(roots, true);
  }

  /** A meter over {@code pid} alone, not what it started. */
  static CpuMeter only(long pid) {
    return new CpuMeter(List.of(pid), false);
  }

  /** A meter over what {@code pid} started, not itself. */
  static CpuMeter childrenOf(long pid) {
    return new CpuMeter(
        ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList(), true);
  }

  /** CPU seconds used so far by the processes and their living descendants. */
  double seconds() {
    long ticks = 0;
    for (long root : roots) {
      ticks += ticks(root);
      if (!descendants) {
        continue;
      }
      ticks += ProcessHandle.of(root).stream()
          .flatMap(ProcessHandle::descendants)
          .mapToLong(child -> ticks(child.pid()))
          .sum();
    }
    return ticks / ProcStat.TICKS_PER_SECOND;
  }

  /** Microseconds of CPU per request while {@code work} ran and returned a request count. */
  double microsPerRequest(LongSupplier work) {
    double before = seconds();
    long requests = work.getAsLong();
    return requests == 0 ? 0 : (seconds() - before) * 1e6 / requests;
  }

  private static long ticks(long pid) {
    try {
      return ProcStat.read(Path.of("/proc/" + pid + "/stat")).cpuTicks();
    } catch (NoSuchFileException gone) {
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
    }
  }
}
