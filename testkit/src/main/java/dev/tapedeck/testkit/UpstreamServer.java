package dev.tapedeck.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 server on a free 127.0.0.1 port, for proxy and end-to-end tests to send traffic
 * to; built on the JDK's {@code com.sun.net.httpserver}. Routes match a method ({@code *} for any)
 * and an exact path; unmatched requests get 404. Every request is recorded before its route runs.
 *
 * <pre>{@code
 * try (UpstreamServer upstream = UpstreamServer.start()
 *     .route("GET", "/hello", req -> UpstreamResponse.json(200, "{\"hi\":1}"))) {
 *   ... send traffic to upstream.url() ...
 *   assertThat(upstream.requests()).hasSize(1);
 * }
 * }</pre>
 */
public final class UpstreamServer implements AutoCloseable {
  /** Answers a request. */
  @FunctionalInterface
  public interface Route {
    /** The response for {@code request}. */
    UpstreamResponse answer(RecordedRequest request) throws Exception;
  }

  private record Key(String method, String path) {}

  private static final String RECORDED = RecordedRequest.class.getName();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Key, HttpHandler> routes = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private UpstreamServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static UpstreamServer start() {
    return start(null);
  }

  /** Starts an HTTPS server on a free port of 127.0.0.1, presenting {@code tls}'s certificate. */
  public static UpstreamServer startTls(SelfSignedTls tls) {
    return start(tls, null);
  }

  /**
   * Starts an HTTPS server that presents {@code tls}'s certificate and lets in only clients that
   * present {@code client}'s (mutual TLS): others fail the handshake.
   */
  public static UpstreamServer startMutualTls(SelfSignedTls tls, SelfSignedTls client) {
    return start(tls, client);
  }

  private static UpstreamServer start(SelfSignedTls tls) {
    return start(tls, null);
  }

  private static UpstreamServer start(SelfSignedTls tls, SelfSignedTls client) {
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
      HttpServer server;
      if (tls == null) {
        server = HttpServer.create(address, 100);
      } else {
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 100);
        if (client == null) {
          https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls.serverContext()));
        } else {
          https.setHttpsConfigurator(
              new com.sun.net.httpserver.HttpsConfigurator(tls.serverContextTrusting(client)) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters params) {
                  javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                  ssl.setNeedClientAuth(true);
                  params.setSSLParameters(ssl);
                }
              });
        }
        server = https;
      }
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      UpstreamServer upstream = new UpstreamServer(server, executor);
      server.setExecutor(executor);
      server.createContext("/", upstream::dispatch);
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start an upstream server", e);
    }
  }

  /**
   * Answers {@code method} (or {@code *} for any) on exactly {@code path} with {@code route};
   * replaces an earlier route for the same pair. Returns this server.
   */
  public UpstreamServer route(String method, String path, Route route) {
    return routeRaw(method, path, exchange -> respond(exchange, answer(route, exchange)));
  }

  /**
   * Answers with a JDK {@link HttpHandler}, for what {@link Route} cannot express (chunked or slow
   * bodies, dropped connections). The request body is already recorded and can be read again from
   * the exchange.
   */
  public UpstreamServer routeRaw(String method, String path, HttpHandler handler) {
    routes.put(new Key(method.toUpperCase(Locale.ROOT), path), handler);
    return this;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The requests received so far, oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      RecordedRequest recorded =
          new RecordedRequest(method, query == null ? path : path + "?" + query, headers, body);
      requests.add(recorded);
      exchange.setAttribute(RECORDED, recorded);
      exchange.setStreams(new ByteArrayInputStream(body), null);
      HttpHandler handler = routes.get(new Key(method.toUpperCase(Locale.ROOT), path));
      if (handler == null) {
        handler = routes.get(new Key("*", path));
      }
      if (handler == null) {
        respond(exchange, UpstreamResponse.text(404, "no route for " + method + " " + path));
        return;
      }
      handler.handle(exchange);
    }
  }

  private static UpstreamResponse answer(Route route, HttpExchange exchange) {
    try {
      return route.answer((RecordedRequest) exchange.getAttribute(RECORDED));
    } catch (Exception e) {
      return UpstreamResponse.text(500, "route failed: " + e);
    }
  }

  private static void respond(HttpExchange exchange, UpstreamResponse response) throws IOException {
    if (!response.delay().isZero()) {
      try {
        Thread.sleep(response.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, new ArrayList<>(v)));
    byte[] body = response.body();
    boolean noBody =
        exchange.getRequestMethod().equalsIgnoreCase("HEAD")
            || response.status() == 204
            || response.status() == 304
            || body.length == 0;
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
