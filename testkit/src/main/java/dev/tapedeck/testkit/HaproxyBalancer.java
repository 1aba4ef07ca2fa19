package dev.tapedeck.testkit;

import dev.tapedeck.devstack.LogTail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HAProxy (Debian's {@code haproxy} package) as an L4 load balancer on this machine, in front of
 * processes that listen on the same port on different loopback addresses, the way a cloud load
 * balancer spreads a session port over proxy pods.
 *
 * <p>The configuration it writes: TCP mode; one frontend on {@code 127.0.0.1:<port>}; round robin
 * over the servers, each health-checked by a TCP connect to its address every 200 ms, marked down
 * after one failed check and up after one good one ({@code check inter 200ms fall 1 rise 1}), so a
 * server may be declared before its process runs and join once it listens. A connection whose
 * server refuses it (killed, not yet marked down) is retried on another server ({@code retries 3},
 * {@code option redispatch 1}); connections already open on a server that dies are not moved (they
 * cannot be: the bytes sent are gone with the process). HAProxy logs one line per connection to its
 * stdout, read back by {@link #connections()}.
 *
 * <p>It runs one thread ({@code nbthread 1}). With more, a thread that finds another one writing a
 * log line gives up after a few attempts and drops its own line (HAProxy prefers losing a log line
 * to blocking); on a loaded 2-core machine a clean-clone run lost one, and a test that matches each
 * request to its connection could not find it. One thread never collides, and this load is small.
 */
public final class HaproxyBalancer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A backend server.
   *
   * @param name its name in the configuration and the log
   * @param host the loopback address it listens on
   * @param port its port
   */
  public record Server(String name, String host, int port) {}

  private final Process process;
  private final Path logFile;
  private final Path statsSocket;
  private final int port;

  private HaproxyBalancer(Process process, Path logFile, Path statsSocket, int port) {
    this.process = process;
    this.logFile = logFile;
    this.statsSocket = statsSocket;
    this.port = port;
  }

  /**
   * The {@code haproxy} binary on the {@code PATH}, or in {@code /usr/sbin} or {@code
   * /usr/local/sbin} (where Debian puts it, not always on a user's {@code PATH}); empty if none.
   */
  public static Optional<Path> binary() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, "haproxy"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Starts HAProxy in the foreground with its configuration and log in {@code workDir}, balancing
   * {@code 127.0.0.1:<port>} over {@code servers}; returns once the frontend accepts connections.
   *
   * @throws IllegalStateException if there is no haproxy binary, or it exits or does not listen in
   *     time (the message has its output)
   */
  public static HaproxyBalancer start(Path workDir, int port, List<Server> servers) {
    Path binary =
        binary().orElseThrow(() -> new IllegalStateException("haproxy is not installed"));
    Path config = workDir.resolve("haproxy.cfg");
    Path log = workDir.resolve("haproxy.log");
    Path stats = workDir.resolve("haproxy.sock");
    Process process;
    try {
      Files.createDirectories(workDir);
      Files.writeString(config, config(port, servers, stats));
      process =
          new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start haproxy", e);
    }
    HaproxyBalancer balancer = new HaproxyBalancer(process, log, stats, port);
    balancer.awaitListening();
    return balancer;
  }

  /** The configuration described in the class comment. */
  static String config(int port, List<Server> servers, Path statsSocket) {
    StringBuilder text =
        new StringBuilder(
            String.join(
                "\n",
                "# Written by the Tapedeck test kit (HaproxyBalancer).",
                "global",
                "  log stdout format raw local0 info",
                "  nbthread 1",
                "  stats socket " + statsSocket + " mode 600 level user",
                "  maxconn 2000",
                "defaults",
                "  mode tcp",
                "  log global",
                // client address, accept time (epoch ms), server, connect and total times, bytes
                // to the client, termination state, retries ('+' when redispatched).
                "  log-format \"conn %ci:%cp %Ts%ms %b/%s %Tc %Tt %B %ts %rc\"",
                "  timeout connect 2s",
                "  timeout client 30s",
                "  timeout server 30s",
                "  retries 3",
                "  option redispatch 1",
                "frontend sessions",
                "  bind 127.0.0.1:" + port,
                "  default_backend proxies",
                "backend proxies",
                "  balance roundrobin",
                "  default-server check inter 200ms fall 1 rise 1",
                ""));
    for (Server server : servers) {
      text.append("  server ")
          .append(server.name())
          .append(' ')
          .append(server.host())
          .append(':')
          .append(server.port())
          .append('\n');
    }
    return text.toString();
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException(
        "haproxy did not listen on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s. Its output ("
            + logFile
            + "):\n"
            + LogTail.of(logFile, 40));
  }

  /** The frontend port. */
  public int port() {
    return port;
  }

  /** Its configuration and log file. */
  public Path logFile() {
    return logFile;
  }

  /** The connections HAProxy has logged so far (it logs each when it ends), oldest first. */
  public List<BalancedConnection> connections() {
    try (Stream<String> lines = Files.lines(logFile)) {
      return lines.map(BalancedConnection::parse).flatMap(Optional::stream).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + logFile, e);
    }
  }

  /**
   * The log lines HAProxy could not write ({@code DroppedLogs} from its stats socket's {@code show
   * info}); -1 when it cannot be asked. A test that misses a connection line says this too.
   */
  public long droppedLogs() {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(statsSocket))) {
      channel.write(ByteBuffer.wrap("show info\n".getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) > 0) {
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return answer.toString(StandardCharsets.US_ASCII)
          .lines()
          .filter(l -> l.startsWith("DroppedLogs:"))
          .mapToLong(l -> Long.parseLong(l.substring("DroppedLogs:".length()).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Its log lines that are not connection lines: server state changes, warnings. */
  public List<String> events() {
    try (Stream<String> lines = Files.lines(logFile)) {
      return lines.filter(l -> BalancedConnection.parse(l).isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + logFile, e);
    }
  }

  /** Stops HAProxy (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
