package dev.tapedeck.converter.export.script;

import com.sun.net.httpserver.HttpServer;
import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A local HTTP server (the JDK's com.sun.net.httpserver) that answers each method and path with the
 * responses recorded for it, in the recorded order, the last one repeating: the upstream the test
 * scripts and collections are run against, in the order they were recorded. Query strings are not
 * compared, since redaction changes secret values. A body transformation makes it a changed
 * upstream.
 */
public final class RecordedUpstream implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Deque<Exchange>> answers = new LinkedHashMap<>();

  private RecordedUpstream(List<StoredEntry> entries, UnaryOperator<String> change)
      throws IOException {
    for (StoredEntry entry : entries) {
      Exchange.of(entry)
          .ifPresent(
              e ->
                  answers
                      .computeIfAbsent(key(e.method(), e.url().path()), k -> new ArrayDeque<>())
                      .add(e));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        http -> {
          try (InputStream in = http.getRequestBody()) {
            in.readAllBytes();
          }
          String key = key(http.getRequestMethod(), http.getRequestURI().getRawPath());
          Exchange answer;
          synchronized (answers) {
            Deque<Exchange> queue = answers.get(key);
            answer = queue == null ? null : queue.size() > 1 ? queue.poll() : queue.peek();
          }
          if (answer == null) {
            http.sendResponseHeaders(599, -1);
            http.close();
            return;
          }
          Content body = answer.responseBody();
          byte[] bytes =
              body.base64()
                  ? Base64.getDecoder().decode(body.text())
                  : change.apply(body.text()).getBytes(StandardCharsets.UTF_8);
          if (!body.mimeType().isEmpty()) {
            http.getResponseHeaders().add("Content-Type", body.mimeType());
          }
          boolean noBody = bytes.length == 0 || answer.status() == 204 || answer.status() == 304;
          http.sendResponseHeaders(answer.status(), noBody ? -1 : bytes.length);
          if (!noBody) {
            try (OutputStream out = http.getResponseBody()) {
              out.write(bytes);
            }
          }
          http.close();
        });
    server.start();
  }

  /** Serves the recorded responses as they were. */
  public static RecordedUpstream of(List<StoredEntry> entries) throws IOException {
    return new RecordedUpstream(entries, UnaryOperator.identity());
  }

  /** Serves the recorded responses with {@code change} applied to every text body. */
  public static RecordedUpstream changed(List<StoredEntry> entries, UnaryOperator<String> change)
      throws IOException {
    return new RecordedUpstream(entries, change);
  }

  /** The base URL to send requests to. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static String key(String method, String path) {
    return method + " " + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
