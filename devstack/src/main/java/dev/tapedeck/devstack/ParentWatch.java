package dev.tapedeck.devstack;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ends a child JVM when the process that started it is gone, even if that process was killed with
 * SIGKILL and had no chance to run its shutdown hooks.
 *
 * <p>Two ways in, both taking the parent's pid:
 *
 * <ul>
 *   <li>as a main class wrapping another one: {@code ParentWatch <pid> <main class> [args...]} (the
 *       Kafka broker);
 *   <li>as a Java agent, {@code -javaagent:tapedeck-devstack.jar=<pid>}, so that {@code java -jar
 *       quarkus-run.jar} stays as it is (the services).
 * </ul>
 *
 * <p>A daemon thread checks once a second; when the parent has exited (or this process has been
 * re-parented, which also means the parent died) it calls {@link System#exit(int)}, which runs the
 * child's own shutdown hooks, so Kafka and Quarkus still stop cleanly.
 */
public final class ParentWatch {
  private static final long PERIOD_MILLIS = 1000;

  private ParentWatch() {}

  /** Entry point as a wrapper: {@code <parent pid> <main class> [args...]}. */
  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: ParentWatch <parent pid> <main class> [args...]");
      System.exit(2);
    }
    watch(Long.parseLong(args[0]));
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Entry point as a Java agent; {@code agentArgs} is the parent's pid. */
  public static void premain(String agentArgs) {
    if (agentArgs != null && !agentArgs.isBlank()) {
      watch(Long.parseLong(agentArgs.trim()));
    }
  }

  /** Starts the daemon thread that exits this JVM once {@code parentPid} is gone. */
  static void watch(long parentPid) {
    Thread thread =
        new Thread(
            () -> {
              while (parentAlive(parentPid)) {
                try {
                  Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.err.println(
                  "[tapedeck] parent process " + parentPid + " is gone; shutting down.");
              System.exit(0);
            },
            "tapedeck-parent-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private static boolean parentAlive(long parentPid) {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    // A dead parent's children are re-parented, so checking our own parent also guards against
    // the pid being reused by an unrelated process.
    return parent.isPresent() && parent.get().pid() == parentPid && parent.get().isAlive();
  }
}
