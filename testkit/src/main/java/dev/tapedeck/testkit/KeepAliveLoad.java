package dev.tapedeck.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop keep-alive HTTP/1.1 load, as {@code wrk} makes it: {@code connections} client
 * threads, each on one persistent connection, sending {@code GET <path>?c=<client>&n=<number>} one
 * after another as fast as the answers come, for a fixed time. Each request's path is unique, so
 * recordings can be matched to the requests. A broken connection is counted as a failure and
 * opened again; nothing is retried.
 */
public final class KeepAliveLoad {
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  /**
   * What the load did.
   *
   * @param answered requests answered 200 with their whole body
   * @param failed requests that got another status, or broke off
   * @param bodyBytes response body bytes read
   * @param elapsed how long the load ran
   */
  public record Result(long answered, long failed, long bodyBytes, Duration elapsed) {
    /** Answered requests per second. */
    public double requestsPerSecond() {
      return answered / (elapsed.toNanos() / 1e9);
    }
  }

  private KeepAliveLoad() {}

  /** Runs the load against {@code 127.0.0.1:port} for {@code duration}; returns when it is over. */
  public static Result run(int port, String path, int connections, Duration duration) throws InterruptedException {
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int client = c;
      clients.add(
          Thread.ofPlatform()
              .name("keep-alive-load-" + c)
              .start(() -> client(port, path, client, end, answered, failed, bytes)));
    }
    for (Thread t : clients) {
      t.join();
    }
    return new Result(answered.get(), failed.get(), bytes.get(), Duration.ofNanos(System.nanoTime() - start));
  }

  private static void client(
      int port, String path, int client, long end, AtomicLong answered, AtomicLong failed, AtomicLong bytes) {
    long n = 0;
    while (System.nanoTime() < end) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        while (System.nanoTime() < end) {
          String request =
              "GET " + path + (path.contains("?") ? "&" : "?") + "c=" + client + "&n=" + n++ + " HTTP/1.1\r\n"
                  + "Host: 127.0.0.1:" + port + "\r\n\r\n";
          out.write(request.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          long body = readResponse(in);
          if (body < 0) {
            failed.incrementAndGet();
            break;
          }
          answered.incrementAndGet();
          bytes.addAndGet(body);
        }
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }
  }

  /** Reads one response; its body length when it is a 200 with a Content-Length, else -1. */
  private static long readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head");
      }
      head.append((char) b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    String[] lines = head.toString().split("\r\n");
    boolean ok = lines[0].split(" ").length > 1 && lines[0].split(" ")[1].equals("200");
    long length = -1;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length: " + lines[0]);
    }
    long left = length;
    byte[] skip = new byte[16 * 1024];
    while (left > 0) {
      int r = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (r < 0) {
        throw new IOException("connection closed in the body");
      }
      left -= r;
    }
    return ok ? length : -1;
  }
}
