package dev.tapedeck.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A steady, bounded HTTP load on one port: a few client threads, each sending {@code GET} requests
 * one after another with a pause between them, <strong>one connection per request</strong> ({@code
 * Connection: close}) over a plain socket, and <strong>no retries</strong>. Each request has a path
 * unique to it ({@code <prefix>?c=<client>&n=<number>}), and each outcome records the client's
 * source port and when it started and ended, so a failure can be matched to the connection a load
 * balancer logged for it.
 *
 * <p>A request succeeds when the whole response arrived: status 200 and a body as long as its
 * {@code Content-Length}. Anything else (refused, reset, closed early, timed out) is a failure with
 * the reason.
 */
public final class SteadyLoad {
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  /**
   * What happened to one request.
   *
   * @param client the client thread (0-based)
   * @param n the request's number within its client (0-based, in sending order)
   * @param path the path and query sent
   * @param localPort the client's source port, or -1 if it never connected
   * @param startedAtMillis when it started connecting, epoch milliseconds
   * @param endedAtMillis when the response ended or the failure happened
   * @param error null when it succeeded, else what went wrong
   */
  public record Outcome(
      int client,
      int n,
      String path,
      int localPort,
      long startedAtMillis,
      long endedAtMillis,
      String error) {
    /** Whether the whole response arrived. */
    public boolean ok() {
      return error == null;
    }
  }

  private final String host;
  private final int port;
  private final String pathPrefix;
  private final Duration pause;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  private SteadyLoad(String host, int port, String pathPrefix, Duration pause) {
    this.host = host;
    this.port = port;
    this.pathPrefix = pathPrefix;
    this.pause = pause;
  }

  /**
   * Starts {@code clients} threads sending to {@code host:port}, pausing {@code pause} after each
   * request.
   */
  public static SteadyLoad start(
      String host, int port, String pathPrefix, int clients, Duration pause) {
    SteadyLoad load = new SteadyLoad(host, port, pathPrefix, pause);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = Thread.ofPlatform().name("steady-load-" + c).start(() -> load.run(client));
      load.threads.add(thread);
    }
    return load;
  }

  private void run(int client) {
    for (int n = 0; running.get(); n++) {
      outcomes.add(send(client, n));
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Outcome send(int client, int n) {
    String path = pathPrefix + "?c=" + client + "&n=" + n;
    long started = System.currentTimeMillis();
    int localPort = -1;
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
      localPort = socket.getLocalPort();
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String error = check(readAll(socket.getInputStream()));
      return new Outcome(
          client, n, path, localPort, started, System.currentTimeMillis(), error);
    } catch (IOException e) {
      return new Outcome(
          client, n, path, localPort, started, System.currentTimeMillis(), e.toString());
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toByteArray();
  }

  /** Null when {@code response} is a complete 200 response, else what is wrong with it. */
  static String check(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      return "connection closed before any response";
    }
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return "connection closed within the response head";
    }
    String[] head = text.substring(0, headEnd).split("\r\n");
    if (!head[0].startsWith("HTTP/1.1 200")) {
      return "status line " + head[0];
    }
    long length = -1;
    for (String line : head) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    long bodyLength = response.length - (headEnd + 4L);
    if (length < 0) {
      return "no Content-Length";
    }
    if (bodyLength != length) {
      return "body of " + bodyLength + " bytes, Content-Length " + length;
    }
    return null;
  }

  /** Requests finished so far (either way). */
  public int finished() {
    return outcomes.size();
  }

  /** Successful requests so far. */
  public long succeeded() {
    return outcomes.stream().filter(Outcome::ok).count();
  }

  /** Stops the clients, waits for their last requests to end, and returns every outcome. */
  public List<Outcome> stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(READ_TIMEOUT_MILLIS * 2L);
    }
    return List.copyOf(outcomes);
  }
}
