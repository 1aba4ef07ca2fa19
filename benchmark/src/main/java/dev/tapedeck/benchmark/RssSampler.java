package dev.tapedeck.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident set size every half second from {@code /proc/<pid>/status}. */
final class RssSampler {
  /** The first, largest and last sample, in KiB. */
  record Figures(long firstKib, long maxKib, long lastKib) {}

  private final long pid;
  private final long firstKib;
  private final AtomicLong maxKib = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private RssSampler(long pid) throws IOException {
    this.pid = pid;
    this.firstKib = rssKib(pid);
    this.maxKib.set(firstKib);
    this.thread = Thread.ofPlatform().daemon().name("rss-" + pid).start(this::sample);
  }

  static RssSampler start(long pid) throws IOException {
    return new RssSampler(pid);
  }

  Figures stop() throws IOException, InterruptedException {
    running = false;
    thread.join();
    return new Figures(firstKib, maxKib.get(), rssKib(pid));
  }

  private void sample() {
    while (running) {
      try {
        maxKib.accumulateAndGet(rssKib(pid), Math::max);
        Thread.sleep(500);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
