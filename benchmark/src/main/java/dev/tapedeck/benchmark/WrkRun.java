package dev.tapedeck.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wrk -t2 -cN -dS --latency} against one loopback URL, its report read back: requests,
 * errors (socket errors and non-2xx answers), and the latency percentiles it prints. Paced, each
 * connection waits a fixed pause before each request (wrk's {@code delay()} script hook), so the
 * load runs at about a fixed rate and the latencies measure the path rather than a queue.
 */
final class WrkRun {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|90|99)%\\s+([\\d.]+)(us|ms|s|m)\\s*$");
  private static final Pattern MAX = Pattern.compile("^\\s*Latency\\s+\\S+\\s+\\S+\\s+([\\d.]+)(us|ms|s|m)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private WrkRun() {}

  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * One run; {@code pause} is how long each connection waits before each request (zero: none, a
   * closed loop at full speed). wrk counts a pause in whole milliseconds.
   */
  static Load.Result run(int port, String path, int connections, boolean cold, Duration duration, Duration pause)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        "wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency", "--timeout", "10s"));
    if (cold) {
      command.addAll(List.of("-H", "Connection: close"));
    }
    StringBuilder lua = new StringBuilder();
    boolean absolute = !path.startsWith("/");
    if (absolute) {
      // To a forward proxy: the request line names the upstream (wrk takes it from wrk.path).
      lua.append("wrk.path = \"").append(path).append("\"\n");
    }
    if (!pause.isZero()) {
      lua.append("function delay()\n  return ").append(pause.toMillis()).append("\nend\n");
    }
    Path script = null;
    if (!lua.isEmpty()) {
      script = Files.createTempFile("wrk", ".lua");
      Files.writeString(script, lua);
      command.addAll(List.of("-s", script.toString()));
    }
    command.add("http://127.0.0.1:" + port + (absolute ? "/" : path));
    try {
      Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
      String report = new String(wrk.getInputStream().readAllBytes());
      if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
        throw new IOException("wrk failed: " + String.join(" ", command) + "\n" + report);
      }
      return parse(report);
    } finally {
      if (script != null) {
        Files.deleteIfExists(script);
      }
    }
  }

  static Load.Result parse(String report) {
    long requests = -1;
    double seconds = 0;
    long errors = 0;
    double[] percentiles = new double[3];
    double max = 0;
    for (String line : report.split("\n")) {
      Matcher m;
      if ((m = REQUESTS.matcher(line)).find()) {
        requests = Long.parseLong(m.group(1));
        seconds = millis(m.group(2), m.group(3)) / 1000.0;
      } else if ((m = PERCENTILE.matcher(line)).find()) {
        int index = switch (m.group(1)) {
          case "50" -> 0;
          case "90" -> 1;
          default -> 2;
        };
        percentiles[index] = millis(m.group(2), m.group(3));
      } else if ((m = MAX.matcher(line)).find()) {
        max = millis(m.group(1), m.group(2));
      } else if ((m = SOCKET_ERRORS.matcher(line)).find()) {
        for (int g = 1; g <= 4; g++) {
          errors += Long.parseLong(m.group(g));
        }
      } else if ((m = NON_2XX.matcher(line)).find()) {
        errors += Long.parseLong(m.group(1));
      }
    }
    if (requests < 0) {
      throw new IllegalStateException("no request count in wrk's report:\n" + report);
    }
    return new Load.Result(requests - Math.min(errors, requests), errors, seconds,
        percentiles[0], percentiles[1], percentiles[2], max);
  }

  private static double millis(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1000.0;
      case "ms" -> v;
      case "s" -> v * 1000.0;
      default -> v * 60_000.0;
    };
  }
}
