package dev.tapedeck.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's or thread's line of Linux's {@code stat} file (proc(5)): the few fields the stack,
 * its tests and the benchmarks read. The command name (field 2) is in parentheses and may itself
 * hold spaces and parentheses, so the other fields are counted from the last {@code ')'}.
 */
public final class ProcStat {
  /** Linux's USER_HZ: {@code stat} counts CPU time in hundredths of a second. */
  public static final double TICKS_PER_SECOND = 100.0;

  /** proc(5) numbers fields from 1; the first after the name is field 3. */
  private static final int FIRST_AFTER_NAME = 3;

  private static final int UTIME = 14;
  private static final int STIME = 15;
  private static final int NICE = 19;

  private final String name;
  private final String[] afterName;

  private ProcStat(String name, String[] afterName) {
    this.name = name;
    this.afterName = afterName;
  }

  /**
   * A stat line as the kernel writes it.
   *
   * @throws IllegalArgumentException when it has no name in parentheses
   */
  public static ProcStat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 > line.length()) {
      throw new IllegalArgumentException("not a proc(5) stat line: " + line);
    }
    return new ProcStat(line.substring(open + 1, close), line.substring(close + 2).strip().split(" "));
  }

  /** {@code /proc/<pid>/stat}, or {@code /proc/<pid>/task/<tid>/stat}, or any such file. */
  public static ProcStat read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** The command name: a thread's name, cut by the kernel to 15 characters. */
  public String name() {
    return name;
  }

  /** CPU time used, user and system, in clock ticks ({@link #TICKS_PER_SECOND}). */
  public long cpuTicks() {
    return Long.parseLong(field(UTIME)) + Long.parseLong(field(STIME));
  }

  /** The nice value, -20 to 19. */
  public int niceness() {
    return Integer.parseInt(field(NICE));
  }

  private String field(int number) {
    return afterName[number - FIRST_AFTER_NAME];
  }
}
