package dev.tapedeck.testkit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client connection as {@link HaproxyBalancer} logged it when it ended.
 *
 * @param clientPort the client's source port (the client knows it too, so a client can find the
 *     line of each of its connections)
 * @param acceptedAtMillis when HAProxy accepted it, epoch milliseconds
 * @param server the server that served it ({@code <NOSRV>} if none could)
 * @param totalMillis how long it was open
 * @param bytesToClient bytes sent to the client
 * @param termination HAProxy's two-letter termination state: {@code --} for a normal end, {@code
 *     SD} when the server side broke off during the data phase, {@code SC} when no server accepted
 * @param retries connection retries ({@code +n} means it was redispatched to another server)
 */
public record BalancedConnection(
    int clientPort,
    long acceptedAtMillis,
    String server,
    long totalMillis,
    long bytesToClient,
    String termination,
    String retries) {
  private static final Pattern LINE =
      Pattern.compile(
          "conn [^ ]+:(\\d+) (\\d+) [^/ ]+/([^ ]+) (-?\\d+) (-?\\d+) (\\d+) ([^ ]+) ([^ ]+)\\s*$");

  /** The connection a log line describes, or empty for any other line. */
  public static Optional<BalancedConnection> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new BalancedConnection(
            Integer.parseInt(m.group(1)),
            Long.parseLong(m.group(2)),
            m.group(3),
            Long.parseLong(m.group(5)),
            Long.parseLong(m.group(6)),
            m.group(7),
            m.group(8)));
  }

  /** Whether HAProxy moved it to another server after a refused connect. */
  public boolean redispatched() {
    return retries.startsWith("+");
  }

  /** When it ended, epoch milliseconds. */
  public long endedAtMillis() {
    return acceptedAtMillis + Math.max(0, totalMillis);
  }
}
