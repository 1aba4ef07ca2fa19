package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersRoutesAndRecordsWhatItSaw() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route(
                "GET",
                "/hello",
                req -> UpstreamResponse.json(200, "{\"hi\":true}").withHeader("X-Upstream", "yes"))
            .route("POST", "/echo", req -> UpstreamResponse.text(201, req.bodyText()))) {
      assertThat(upstream.url()).startsWith("http://127.0.0.1:");

      HttpResponse<String> hello =
          send(
              HttpRequest.newBuilder(URI.create(upstream.url() + "/hello?name=x%20y"))
                  .header("X-Test", "1")
                  .build());
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("{\"hi\":true}");
      assertThat(hello.headers().firstValue("x-upstream")).contains("yes");
      assertThat(hello.headers().firstValue("content-type")).contains("application/json");

      HttpResponse<String> echo =
          send(
              HttpRequest.newBuilder(URI.create(upstream.url() + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("payload"))
                  .build());
      assertThat(echo.statusCode()).isEqualTo(201);
      assertThat(echo.body()).isEqualTo("payload");

      assertThat(upstream.requests()).hasSize(2);
      RecordedRequest first = upstream.requests().get(0);
      assertThat(first.method()).isEqualTo("GET");
      assertThat(first.pathAndQuery()).isEqualTo("/hello?name=x%20y");
      assertThat(first.path()).isEqualTo("/hello");
      assertThat(first.header("x-test")).contains("1");
      assertThat(upstream.requests().get(1).bodyText()).isEqualTo("payload");
    }
  }

  @Test
  void answers404ForUnknownRoutesAndRecordsThemToo() throws Exception {
    try (UpstreamServer upstream = UpstreamServer.start()) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(URI.create(upstream.url() + "/missing")).build());
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(upstream.requests()).extracting(RecordedRequest::path).containsExactly("/missing");
      upstream.clearRequests();
      assertThat(upstream.requests()).isEmpty();
    }
  }

  @Test
  void wildcardMethodDelayAndRawHandlers() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("*", "/any", req -> UpstreamResponse.status(204))
            .route(
                "GET",
                "/slow",
                req -> UpstreamResponse.text(200, "late").withDelay(Duration.ofMillis(300)))
            .routeRaw(
                "PUT",
                "/raw",
                exchange -> {
                  byte[] body = exchange.getRequestBody().readAllBytes();
                  exchange.sendResponseHeaders(200, 0); // chunked
                  try (OutputStream out = exchange.getResponseBody()) {
                    out.write("got ".getBytes(StandardCharsets.UTF_8));
                    out.write(body);
                  }
                })) {
      assertThat(
              send(HttpRequest.newBuilder(URI.create(upstream.url() + "/any")).DELETE().build())
                  .statusCode())
          .isEqualTo(204);

      long start = System.nanoTime();
      assertThat(send(HttpRequest.newBuilder(URI.create(upstream.url() + "/slow")).build()).body())
          .isEqualTo("late");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));

      HttpResponse<String> raw =
          send(
              HttpRequest.newBuilder(URI.create(upstream.url() + "/raw"))
                  .PUT(HttpRequest.BodyPublishers.ofString("abc"))
                  .build());
      assertThat(raw.body()).isEqualTo("got abc");
      assertThat(upstream.requests().get(2).bodyText()).isEqualTo("abc");
    }
  }
}
