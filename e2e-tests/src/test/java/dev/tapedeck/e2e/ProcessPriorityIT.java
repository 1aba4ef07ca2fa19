package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapedeck.devstack.ProcStat;
import dev.tapedeck.devstack.Service;
import dev.tapedeck.testkit.TapedeckSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * On one machine, ingestion yields the cores to the proxy under load: every thread of
 * storage-service, and the embedded store's threads, run at {@link Service#niceness} 10; the proxy
 * and the Kafka broker at the stack's own priority. Read from {@code /proc}, as {@code top -H} or
 * {@code ps -L -o nice} would show it (Linux only).
 */
class ProcessPriorityIT {

  @Test
  void storageRunsBelowTheProxysPriority() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc: not Linux");
    TapedeckSystem system = TapedeckSystem.shared();
    int own = niceOf(ProcessHandle.current().pid(), ProcessHandle.current().pid());

    Map<String, Integer> storage = threadNiceness(system.service(Service.STORAGE).pid());
    Map<String, Integer> proxy = threadNiceness(system.service(Service.PROXY).pid());

    assertThat(Service.STORAGE.niceness()).isEqualTo(10);
    // The thread that consumes the exchanges topic and writes the entries, and every other one.
    assertThat(storage.keySet()).anyMatch(thread -> thread.startsWith("tapedeck-ingest#"));
    assertThat(storage.values()).as("storage's threads (name#tid=nice): %s", storage).containsOnly(Math.min(19, own + 10));
    assertThat(proxy.values()).as("the proxy's threads (name#tid=nice): %s", proxy).containsOnly(own);
  }

  @Test
  void theStoresThreadsRunBelowKafkasPriority() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc: not Linux");
    TapedeckSystem system = TapedeckSystem.shared();
    int own = niceOf(ProcessHandle.current().pid(), ProcessHandle.current().pid());
    long stackPid = system.stack().pid();

    Map<String, Integer> stack = threadNiceness(stackPid);
    // mongo-java-server's event loops (the connections storage opened) and H2's writer thread.
    Map<String, Integer> store = new TreeMap<>(stack);
    store.keySet().removeIf(thread -> !thread.startsWith("mongo-server-") && !thread.startsWith("H2-") && !thread.startsWith("MVStore "));
    assertThat(store.keySet()).anyMatch(thread -> thread.startsWith("mongo-server-wo"));
    assertThat(store.values()).as("the store's threads (name#tid=nice): %s", store).containsOnly(Math.min(19, own + 10));

    long kafkaPid =
        ProcessHandle.of(stackPid).orElseThrow().children()
            .filter(child -> commandLine(child.pid()).contains("kafka.Kafka"))
            .findFirst()
            .orElseThrow()
            .pid();
    Map<String, Integer> kafka = threadNiceness(kafkaPid);
    assertThat(kafka.values()).as("Kafka's threads (name#tid=nice): %s", kafka).containsOnly(own);
  }

  /** Each thread's name (the kernel's first 15 characters) and id, {@code name#tid}, and its nice value. */
  private static Map<String, Integer> threadNiceness(long pid) throws IOException {
    Map<String, Integer> threads = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        ProcStat stat;
        try {
          stat = ProcStat.read(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended while we looked
        }
        threads.put(stat.name() + "#" + task.getFileName(), stat.niceness());
      }
    }
    return threads;
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return ""; // it ended
    }
  }

  private static int niceOf(long pid, long tid) throws IOException {
    return ProcStat.read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat")).niceness();
  }
}
