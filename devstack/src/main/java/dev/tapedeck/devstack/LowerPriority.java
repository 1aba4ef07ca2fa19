package dev.tapedeck.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lower CPU priorities for parts of the dev stack. A child process: {@link #niceCommand} in front
 * of its command. A part of this JVM (Linux only): work handed to {@link
 * #call} runs on a thread of its own whose nice value is raised first, and every thread that thread
 * starts, and those they start, inherit it (Linux sets priorities per thread, and a new thread gets
 * its creator's). The embedded store runs so: its file's writer threads, its network event loops and
 * the connections they serve, while the JVM's other threads, and the Kafka broker this JVM starts as
 * a child process, keep their priority.
 *
 * <p>The priority is set with {@code renice} (util-linux or BusyBox) on the thread's id, read from
 * {@code /proc/thread-self}. Where either is missing (macOS, a container without them) the work runs
 * at the usual priority.
 */
final class LowerPriority {
  private LowerPriority() {}

  /**
   * The command words that start a program {@code niceness} steps below this process's CPU
   * priority: {@code nice -n <niceness>}, which then runs the program in its own place, so the
   * process keeps its pid. None when {@code niceness} is 0 or the system has no {@code nice}
   * (Windows): the program then runs at this process's priority.
   */
  static List<String> niceCommand(int niceness) {
    if (niceness <= 0) {
      return List.of();
    }
    return tool("nice").map(nice -> List.of(nice, "-n", Integer.toString(niceness))).orElse(List.of());
  }

  /**
   * Runs {@code work} on a new thread named {@code name} at {@code niceness} below this JVM's main
   * priority and returns what it returns (or throws what it throws).
   */
  static <T> T call(String name, int niceness, Supplier<T> work) {
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              lowerCurrentThread(niceness);
              return work.get();
            });
    Thread thread = new Thread(task, name);
    thread.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The nice value of the calling thread, from {@code /proc/thread-self/stat}; empty where there is
   * no such file.
   */
  static Optional<Integer> currentThreadNiceness() {
    try {
      return Optional.of(ProcStat.read(Path.of("/proc/thread-self/stat")).niceness());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Raises the calling thread's nice value by {@code niceness} (at most to 19), where it can. */
  private static void lowerCurrentThread(int niceness) {
    if (niceness <= 0) {
      return;
    }
    Optional<Integer> current = currentThreadNiceness();
    Optional<String> renice = tool("renice");
    if (current.isEmpty() || renice.isEmpty()) {
      return;
    }
    String tid;
    try {
      tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    // util-linux takes the value as the new nice value, BusyBox (as POSIX says) as an increment;
    // from 0, the usual start, both give the same.
    int target = Math.min(19, current.get() + niceness);
    List<String> command = List.of(renice.get(), "-n", Integer.toString(target), "-p", tid);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Left at the usual priority: slower under load, nothing worse.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The system program {@code name} from the usual folders, where the system has it. */
  private static Optional<String> tool(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path program = Path.of(dir, name);
      if (Files.isExecutable(program)) {
        return Optional.of(program.toString());
      }
    }
    return Optional.empty();
  }
}
