package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DemoUpstreamTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void greetsEchoesAndAnswers404() throws Exception {
    try (DemoUpstream demo = DemoUpstream.start(0)) {
      String base = "http://127.0.0.1:" + demo.port();
      HttpResponse<String> hello =
          send(HttpRequest.newBuilder(URI.create(base + "/hello?name=a%22b")).build());
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("{\"greeting\":\"hello a\\\"b\"}");
      assertThat(hello.headers().firstValue("Content-Type")).contains("application/json");

      HttpResponse<String> echo =
          send(
              HttpRequest.newBuilder(URI.create(base + "/echo"))
                  .header("Content-Type", "text/csv")
                  .POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2"))
                  .build());
      assertThat(echo.statusCode()).isEqualTo(200);
      assertThat(echo.body()).isEqualTo("a,b\n1,2");
      assertThat(echo.headers().firstValue("Content-Type")).contains("text/csv");

      HttpResponse<String> missing =
          send(HttpRequest.newBuilder(URI.create(base + "/nope")).build());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"error\":\"not found\"").contains("/nope");
    }
  }
}
