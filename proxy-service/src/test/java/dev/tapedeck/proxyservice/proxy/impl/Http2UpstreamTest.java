package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream leg speaks the client's HTTP version: HTTP/2 (here h2c with prior knowledge) for a
 * client that spoke HTTP/2, HTTP/1.1 otherwise; response trailers pass and are recorded in both.
 */
class Http2UpstreamTest extends ProxyTestBase {
  private HttpServer h2;
  private final List<HttpVersion> upstreamVersions = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, String>> upstreamTe = new CopyOnWriteArrayList<>();

  /** An upstream that says which version it heard and ends with two trailers after a chunked body. */
  @BeforeEach
  void startHttp2Upstream() throws Exception {
    h2 = await(vertx.createHttpServer().requestHandler(this::answerWithTrailers).listen(0, "127.0.0.1"));
  }

  private void answerWithTrailers(HttpServerRequest req) {
    upstreamVersions.add(req.version());
    if (req.getHeader("te") != null) {
      upstreamTe.add(Map.entry("te", req.getHeader("te")));
    }
    req.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/plain")
        .putTrailer("x-checksum", "abc123")
        .putTrailer("x-rows", "2");
    req.response().write("row 1\n");
    req.response().end("row 2 over " + req.version() + "\n");
  }

  @Test
  void http2PriorKnowledgeClientReachesTheUpstreamOverHttp2AndIsRecordedAsHttp2() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + h2.actualPort(), true, 1 << 20, 1));

    String body = curl("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/report");

    assertThat(body).isEqualTo("row 1\nrow 2 over HTTP_2\n");
    assertThat(upstreamVersions).containsExactly(HttpVersion.HTTP_2);
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getHttpVersion()).isEqualTo("HTTP/2");
    assertThat(x.getResponse().getHttpVersion()).isEqualTo("HTTP/2");
    assertThat(x.getResponse().getBody().getData().toStringUtf8()).isEqualTo(body);
  }

  @Test
  void http11ClientStaysOnHttp11Upstream() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + h2.actualPort(), true, 1 << 20, 1));

    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/report")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("row 1\nrow 2 over HTTP_1_1\n");
    assertThat(upstreamVersions).containsExactly(HttpVersion.HTTP_1_1);
    assertThat(awaitCaptured(1).get(0).getResponse().getHttpVersion()).isEqualTo("HTTP/1.1");
  }

  @Test
  void http2TrailersReachTheClientAndAreRecordedAndTeTrailersReachesTheUpstream() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + h2.actualPort(), true, 1 << 20, 1));
    io.vertx.core.http.HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

    HttpClientResponse response = get(client, port, "trailers");

    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(response.trailers().get("x-checksum")).isEqualTo("abc123");
    assertThat(response.trailers().get("x-rows")).isEqualTo("2");
    assertThat(upstreamTe).containsExactly(Map.entry("te", "trailers"));
    assertThat(awaitCaptured(1).get(0).getResponse().getTrailersList())
        .containsExactly(header("x-checksum", "abc123"), header("x-rows", "2"));
  }

  @Test
  void chunkedTrailersReachAnHttp11ClientAndAreRecorded() throws Exception {
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + h2.actualPort(), true, 1 << 20, 1));
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();

    HttpClientResponse response = get(client, port, null);

    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(response.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(response.trailers().get("x-checksum")).isEqualTo("abc123");
    assertThat(upstreamVersions).containsExactly(HttpVersion.HTTP_1_1);
    assertThat(awaitCaptured(1).get(0).getResponse().getTrailersList())
        .extracting(Header::getValue)
        .containsExactly("abc123", "2");
  }

  @Test
  void http2ClientReachesAnUpstreamThatSpeaksOnlyHttp11() throws Exception {
    HttpServer http11Only =
        await(
            vertx
                .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(this::answerWithTrailers)
                .listen(0, "127.0.0.1"));
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + http11Only.actualPort(), true, 1 << 20, 1));

    String first = curl("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/report");
    String second = curl("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/report");

    assertThat(first).isEqualTo("row 1\nrow 2 over HTTP_1_1\n").isEqualTo(second);
    assertThat(upstreamVersions).containsExactly(HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_1);
    assertThat(awaitCaptured(2)).extracting(x -> x.getResponse().getHttpVersion()).containsOnly("HTTP/1.1");
  }

  /** GET /report, optionally with a TE header, returning the response once its body has ended. */
  private static HttpClientResponse get(io.vertx.core.http.HttpClient client, int port, String te) throws Exception {
    RequestOptions options =
        new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/report");
    if (te != null) {
      options.addHeader("te", te);
    }
    return await(
        client
            .request(options)
            .compose(r -> r.send())
            .compose(resp -> resp.body().map(body -> resp)));
  }

  private static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }

  /** Runs curl with these arguments and returns what it printed; fails on a non-zero exit. */
  static String curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(List.of(args));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(curl.exitValue()).as("curl said: " + out).isZero();
    return out;
  }
}
