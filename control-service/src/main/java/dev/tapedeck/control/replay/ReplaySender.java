package dev.tapedeck.control.replay;

import dev.tapedeck.correlation.Step.Header;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one replayed request and reads its answer, bounded: the egress policy decides the address
 * ({@link ReplayEgress}), the whole exchange must end within the timeout, at most {@code
 * tapedeck.replay.max-body-bytes} of the response body are kept (the rest is read and dropped, and
 * the answer says it was truncated), and redirects are followed only when asked, at most {@value
 * ReplayLimits#MAX_REDIRECTS}, each hop checked like the first. Blocking: call it from a worker.
 */
@ApplicationScoped
public class ReplaySender {
  // Set by the client from the URL and the body, or about the connection: never replayed as recorded.
  private static final Set<String> NOT_SENT =
      Set.of(
          "host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade", "te",
          "trailer", "expect", "proxy-connection", "proxy-authorization", "accept-encoding",
          "http2-settings");

  private final HttpClient client;
  // For the one retry of an idempotent request: no pool, so the retry cannot be handed another
  // pooled connection the server is closing.
  private final HttpClient fresh;
  private final ReplayEgress egress;
  private final ReplayLimits limits;
  private final VertxInternal vertx;

  public ReplaySender(Vertx vertx, ReplayEgress egress, ReplayLimits limits) {
    this.egress = egress;
    this.limits = limits;
    this.vertx = (VertxInternal) vertx;
    HttpClientOptions pooled =
        new HttpClientOptions()
            .setForceSni(true)
            .setVerifyHost(true)
            .setDecompressionSupported(false)
            .setMaxPoolSize(limits.maxConcurrency() * limits.maxRunning());
    this.client = vertx.createHttpClient(pooled);
    this.fresh = vertx.createHttpClient(new HttpClientOptions(pooled).setKeepAlive(false));
  }

  @PreDestroy
  void close() {
    client.close();
    fresh.close();
  }

  /** A request to send. */
  public record Outgoing(String method, URI url, List<Header> headers, byte[] body) {}

  /**
   * What came back: status 0 and {@code error} when nothing did.
   *
   * @param url the URL that answered (after redirects)
   */
  public record Answer(
      int status, List<Header> headers, byte[] body, boolean truncated, double durationMs, String url, String error) {
    static Answer failed(String error, double durationMs, URI url) {
      return new Answer(0, List.of(), new byte[0], false, durationMs, url.toString(), error);
    }
  }

  /** Sends {@code request}; never throws for a network failure, a timeout or a refusal. */
  public Answer send(Outgoing request, int timeoutSeconds, boolean followRedirects) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Outgoing current = request;
    for (int hop = 0; ; hop++) {
      Answer answer = once(current, deadline, start);
      if (!followRedirects || answer.status() < 300 || answer.status() > 399 || hop >= ReplayLimits.MAX_REDIRECTS) {
        return answer;
      }
      String location = first(answer.headers(), "location");
      if (location == null) {
        return answer;
      }
      URI next = current.url().resolve(location);
      boolean keepMethod = answer.status() == 307 || answer.status() == 308;
      current =
          new Outgoing(
              keepMethod ? current.method() : "GET",
              next,
              current.headers().stream()
                  .filter(h -> keepMethod || !h.name().equalsIgnoreCase("content-type"))
                  .filter(h -> sameOrigin(request.url(), next) || !h.name().equalsIgnoreCase("authorization")
                      && !h.name().equalsIgnoreCase("cookie"))
                  .toList(),
              keepMethod ? current.body() : null);
    }
  }

  // Safe to send again when a pooled connection closed before any answer came (RFC 9110 9.2.2).
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  /**
   * One exchange. A keep-alive connection the server closes just as a request goes out on it fails
   * with nothing answered; an idempotent request is then sent once more, on a new connection, as
   * browsers and HTTP client libraries do.
   */
  private Answer once(Outgoing request, long deadline, long start) {
    Answer answer = attempt(client, request, deadline, start);
    if (answer.status() == 0
        && answer.error() != null
        && answer.error().startsWith(HttpClosedException.class.getSimpleName())
        && IDEMPOTENT.contains(request.method().toUpperCase(Locale.ROOT))
        && System.nanoTime() < deadline) {
      return attempt(fresh, request, deadline, start);
    }
    return answer;
  }

  private Answer attempt(HttpClient client, Outgoing request, long deadline, long start) {
    URI url = request.url();
    String ip;
    try {
      ip = egress.route(url);
    } catch (ReplayEgress.Refused e) {
      return Answer.failed(e.getMessage(), millisSince(start), url);
    }
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(request.method()))
            .setServer(SocketAddress.inetSocketAddress(port, ip))
            .setHost(ReplayEgress.host(url))
            .setPort(port)
            .setSsl(https)
            .setURI(path)
            .setConnectTimeout(remainingMs)
            .setIdleTimeout(remainingMs);
    for (Header h : request.headers()) {
      if (!NOT_SENT.contains(h.name().toLowerCase(Locale.ROOT)) && !h.name().startsWith(":")) {
        options.addHeader(h.name(), h.value());
      }
    }
    CompletableFuture<Answer> result = new CompletableFuture<>();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    int max = limits.maxBodyBytes();
    // The whole exchange runs as one task chain on one event loop: a response's handlers are then
    // set in the same task that delivers its head, before any of its body or its end can arrive.
    // Chained from this (blocking) thread instead, a fast answer could be complete before they were
    // set, and its end was lost: a pooled connection's quick answer then waited out the timeout.
    vertx.createEventLoopContext().runOnContext(
        onTheLoop -> client
            .request(options)
            .compose(
                r -> {
                  sent.set(r);
                  return request.body() == null || request.body().length == 0
                      ? r.send()
                      : r.send(Buffer.buffer(request.body()));
                })
            .onSuccess(
                response -> {
                  Buffer body = Buffer.buffer();
                  boolean[] truncated = {false};
                  response.handler(
                      chunk -> {
                        int room = max - body.length();
                        if (chunk.length() > room) {
                          truncated[0] = true;
                        }
                        if (room > 0) {
                          body.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
                        }
                      });
                  response.exceptionHandler(
                      e -> result.completeExceptionally(
                          new java.io.IOException("the answer broke off after status " + response.statusCode() + ": " + e.getMessage(), e)));
                  response.endHandler(
                      v -> {
                        List<Header> headers = new ArrayList<>();
                        response.headers().forEach(e -> headers.add(new Header(e.getKey(), e.getValue())));
                        result.complete(
                            new Answer(response.statusCode(), headers, body.getBytes(), truncated[0], millisSince(start), url.toString(), null));
                      });
                })
            .onFailure(result::completeExceptionally));
    try {
      return result.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      HttpClientRequest r = sent.get();
      if (r != null) {
        r.reset();
      }
      return Answer.failed("no complete answer within the timeout", millisSince(start), url);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Answer.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage(), millisSince(start), url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted", millisSince(start), url);
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && a.getPort() == b.getPort();
  }

  static String first(List<Header> headers, String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse(null);
  }

  private static double millisSince(long start) {
    return Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
  }
}
