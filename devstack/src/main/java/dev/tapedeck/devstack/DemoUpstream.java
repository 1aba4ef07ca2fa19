package dev.tapedeck.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP service to record against in the {@code make run} walkthrough, on 127.0.0.1:
 *
 * <ul>
 *   <li>{@code GET /hello?name=x} answers 200 {@code {"greeting":"hello x"}};
 *   <li>{@code POST /echo} answers 200 with the request's body and content type;
 *   <li>anything else answers 404 with a JSON error.
 * </ul>
 */
public final class DemoUpstream implements AutoCloseable {
  /** The port {@code make run} uses. */
  public static final int DEFAULT_PORT = 5780;

  private final HttpServer server;
  private final ExecutorService executor;

  private DemoUpstream(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0 for any free port).
   *
   * @throws StackStartException if the port is taken
   */
  public static DemoUpstream start(int port) {
    HttpServer server;
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(LoopbackPorts.HOST), port), 50);
    } catch (IOException e) {
      throw new StackStartException(
          "Port "
              + port
              + " (demo upstream) on "
              + LoopbackPorts.HOST
              + " is already in use: "
              + e.getMessage(),
          e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", DemoUpstream::handle);
    server.start();
    return new DemoUpstream(server, executor);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (method.equals("GET") && path.equals("/hello")) {
        String name = queryParam(exchange.getRequestURI().getRawQuery(), "name");
        send(
            exchange,
            200,
            "application/json",
            "{\"greeting\":\"hello " + Json.escape(name == null ? "world" : name) + "\"}");
      } else if (method.equals("POST") && path.equals("/echo")) {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        send(exchange, 200, type == null ? "application/octet-stream" : type, body);
      } else {
        send(
            exchange,
            404,
            "application/json",
            "{\"error\":\"not found\",\"method\":\""
                + Json.escape(method)
                + "\",\"path\":\""
                + Json.escape(path)
                + "\"}");
      }
    }
  }

  private static String queryParam(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://localhost:<port>}, as a user would type it. */
  public String url() {
    return "http://localhost:" + port();
  }

  /** Stops listening. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "demo upstream (port " + port() + ")";
  }
}
