package dev.tapedeck.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Figures read for each named thread of some processes from {@code /proc/<pid>/task/<tid>}, by
 * {@code <pid>/<tid>}. The meters keep figures per thread rather than a total because a thread that
 * ends between two readings takes its figures with it: HotSpot's compiler threads come and go with
 * the compile queue, and a Vert.x instance closed by an earlier test ends its event loops.
 */
final class ProcThreads {
  /** What is read from one thread's folder; throws {@link NoSuchFileException} when it ended. */
  @FunctionalInterface
  interface ThreadReader<T> {
    T read(Path thread) throws IOException;
  }

  private ProcThreads() {}

  /**
   * {@code reader}'s figures for each living thread of {@code pids} whose name (as {@code /proc}
   * gives it: its first 15 characters) {@code named} accepts. A process or thread that ends
   * meanwhile is left out.
   */
  static <T> Map<String, T> read(Iterable<Long> pids, Predicate<String> named, ThreadReader<T> reader) {
    Map<String, T> figures = new HashMap<>();
    for (long pid : pids) {
      Path tasks = Path.of("/proc/" + pid + "/task");
      try (Stream<Path> threads = Files.list(tasks)) {
        for (Path thread : threads.toList()) {
          try {
            if (named.test(Files.readString(thread.resolve("comm")).strip())) {
              figures.put(pid + "/" + thread.getFileName(), reader.read(thread));
            }
          } catch (NoSuchFileException gone) {
            // the thread ended between the listing and the read
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + thread, e);
          }
        }
      } catch (NoSuchFileException gone) {
        // the process ended
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + tasks, e);
      }
    }
    return figures;
  }
}
