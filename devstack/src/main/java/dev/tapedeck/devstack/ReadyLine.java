package dev.tapedeck.devstack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line {@link EmbeddedStack} prints on stdout once Kafka and MongoDB are ready: {@code
 * TAPEDECK-STACK-READY kafka=127.0.0.1:<port> mongo=mongodb://127.0.0.1:<port>}.
 *
 * @param kafkaBootstrap the Kafka {@code bootstrap.servers}
 * @param mongoUri the MongoDB connection string
 */
public record ReadyLine(String kafkaBootstrap, String mongoUri) {
  /** The word the line starts with. */
  public static final String PREFIX = "TAPEDECK-STACK-READY";

  private static final Pattern LINE =
      Pattern.compile("^" + PREFIX + " kafka=(\\S+) mongo=(\\S+)\\s*$");

  /** The line as printed. */
  public String format() {
    return PREFIX + " kafka=" + kafkaBootstrap + " mongo=" + mongoUri;
  }

  /** Reads a printed line; empty if {@code line} is not a ready line. */
  public static Optional<ReadyLine> parse(String line) {
    Matcher m = LINE.matcher(line == null ? "" : line);
    return m.matches() ? Optional.of(new ReadyLine(m.group(1), m.group(2))) : Optional.empty();
  }
}
