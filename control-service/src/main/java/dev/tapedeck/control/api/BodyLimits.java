package dev.tapedeck.control.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request body limits per route, checked before a body is read: HAR import ({@code POST
 * /api/v1/recorder/import}) may send up to {@code tapedeck.http.limits.import-body}, the mock API
 * up to {@code tapedeck.http.limits.mock-body}, every other API call up to {@code
 * tapedeck.http.limits.json-body}. A declared {@code Content-Length} over the limit is answered
 * {@code 413 body_too_large} naming it; a chunked body (no length declared) on a JSON route is
 * answered {@code 411 length_required}, since its size is only known once it has been read.
 * {@code quarkus.http.limits.max-body-size} stays the outer bound for everything.
 */
@ApplicationScoped
public class BodyLimits {
  static final String IMPORT_PATH = "/api/v1/recorder/import";
  static final String MOCKS_PATH = "/api/v1/mocks";

  private final long jsonLimit;
  private final long mockLimit;
  private final long importLimit;

  public BodyLimits(
      @ConfigProperty(name = "tapedeck.http.limits.json-body") MemorySize jsonLimit,
      @ConfigProperty(name = "tapedeck.http.limits.mock-body") MemorySize mockLimit,
      @ConfigProperty(name = "tapedeck.http.limits.import-body") MemorySize importLimit) {
    this.jsonLimit = jsonLimit.asLongValue();
    this.mockLimit = mockLimit.asLongValue();
    this.importLimit = importLimit.asLongValue();
  }

  void install(@Observes Router router) {
    // Before the REST layer and its body handling.
    router.route("/api/*").order(-200).handler(this::check);
  }

  /** The limit and its setting for a request. */
  record Limit(long bytes, String setting) {}

  Limit limitFor(HttpMethod method, String path) {
    if (HttpMethod.POST.equals(method) && (path.equals(IMPORT_PATH) || path.equals(IMPORT_PATH + "/"))) {
      return new Limit(importLimit, "tapedeck.http.limits.import-body");
    }
    if (path.equals(MOCKS_PATH) || path.startsWith(MOCKS_PATH + "/")) {
      return new Limit(mockLimit, "tapedeck.http.limits.mock-body");
    }
    return new Limit(jsonLimit, "tapedeck.http.limits.json-body");
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Limit limit = limitFor(request.method(), request.path());
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > limit.bytes()) {
        refuse(ctx, 413, "body_too_large",
            "The request body is " + declared + " bytes; " + request.method() + " " + request.path()
                + " takes at most " + describe(limit.bytes()) + " (" + limit.setting() + ")");
        return;
      }
    } else if (isChunked(request) && !limit.setting().endsWith("import-body")) {
      refuse(ctx, 411, "length_required",
          "Send the body with a Content-Length: " + request.method() + " " + request.path()
              + " takes at most " + describe(limit.bytes()) + " (" + limit.setting() + ")");
      return;
    }
    ctx.next();
  }

  private static boolean isChunked(HttpServerRequest request) {
    String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
  }

  private static void refuse(RoutingContext ctx, int status, String code, String message) {
    HttpServerResponse response =
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (ctx.request().version() != HttpVersion.HTTP_2) {
      // The body is not read: close the connection after answering rather than drain it. (HTTP/2
      // resets just the stream; a Connection header is not allowed there.)
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response.end(new JsonObject().put("error", code).put("message", message).encode());
  }

  /** {@code bytes} as a person reads it: 1 MiB, 200 MiB, 512 bytes. */
  static String describe(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " bytes";
  }
}
