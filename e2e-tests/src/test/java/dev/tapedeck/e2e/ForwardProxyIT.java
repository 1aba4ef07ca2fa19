package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.HarSchema;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forward mode as a user drives it: a session started with {@code "mode":"forward"}, curl pointed
 * at it with {@code -x} as it would be with {@code HTTP_PROXY}, once with an absolute-URI request
 * and once through a CONNECT tunnel ({@code -p}); the entries API and the HAR export show both.
 */
class ForwardProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static TapedeckSystem system;
  private static UpstreamServer upstream;

  @BeforeAll
  static void start() {
    upstream =
        UpstreamServer.start()
            .route("GET", "/greeting", req -> UpstreamResponse.json(200, "{\"hi\":\"" + req.pathAndQuery() + "\"}"));
    system = TapedeckSystem.shared();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @Test
  void recordsAbsoluteUriRequestsAndTunnelsSentThroughItAsAnHttpProxy() throws Exception {
    JsonNode session =
        api("POST", "/api/v1/recorder/start", "{\"name\":\"e2e-forward\",\"mode\":\"forward\"}")
            .expect(201)
            .json()
            .get("session");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    assertThat(session.get("mode").asText()).isEqualTo("forward");
    assertThat(session.get("status").asText()).isEqualTo("running");
    String proxy = "http://127.0.0.1:" + port;
    String authority = "127.0.0.1:" + upstream.port();

    // curl as an HTTP_PROXY client: an absolute-URI request, then the same host through CONNECT.
    assertThat(curl("-x", proxy, upstream.url() + "/greeting?lang=en"))
        .isEqualTo("{\"hi\":\"/greeting?lang=en\"}");
    assertThat(curl("-p", "-x", proxy, upstream.url() + "/greeting?via=tunnel"))
        .isEqualTo("{\"hi\":\"/greeting?via=tunnel\"}");
    // Without a proxy configured the client sends origin-form, which forward mode refuses.
    assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", proxy + "/greeting")).isEqualTo("400");
    assertThat(upstream.requests())
        .extracting(r -> r.method() + " " + r.pathAndQuery())
        .containsExactly("GET /greeting?lang=en", "GET /greeting?via=tunnel");

    JsonNode entries = awaitEntries(id, 2).get("entries");
    assertThat(entries).hasSize(2);
    JsonNode http = entries.get(0);
    assertThat(http.get("entryType").asText()).isEqualTo("http");
    assertThat(http.get("request").get("method").asText()).isEqualTo("GET");
    assertThat(http.get("request").get("url").asText()).isEqualTo(upstream.url() + "/greeting?lang=en");
    // Recorded as curl sent it; not forwarded, being hop-by-hop.
    assertThat(ApiClient.headerValues(http.get("request"), "Proxy-Connection")).isNotEmpty();
    assertThat(upstream.requests().get(0).header("Proxy-Connection")).isEmpty();
    assertThat(http.get("response").get("statusCode").asInt()).isEqualTo(200);
    assertThat(http.get("response").get("body").get("text").asText()).isEqualTo("{\"hi\":\"/greeting?lang=en\"}");
    assertThat(http.has("tunnel")).isFalse();

    JsonNode tunnel = entries.get(1);
    assertThat(tunnel.get("entryType").asText()).isEqualTo("tunnel");
    assertThat(tunnel.get("request").get("method").asText()).isEqualTo("CONNECT");
    assertThat(tunnel.get("request").get("url").asText()).isEqualTo(authority);
    assertThat(tunnel.get("response").get("statusCode").asInt()).isEqualTo(200);
    assertThat(tunnel.get("tunnel").get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(tunnel.get("tunnel").get("port").asInt()).isEqualTo(upstream.port());
    assertThat(tunnel.get("tunnel").get("bytesClientToServer").asLong()).isPositive();
    assertThat(tunnel.get("tunnel").get("bytesServerToClient").asLong()).isPositive();
    assertThat(tunnel.get("timings").get("totalMs").asDouble()).isPositive();

    // The HAR export stays valid with a tunnel in it.
    ApiClient.Answer export = api("POST", "/api/v1/recorder/" + id + "/export", "{}").expect(200);
    assertThat(HarSchema.validate(export.body())).isEmpty();
    JsonNode harEntries = JSON.readTree(export.body()).get("log").get("entries");
    assertThat(harEntries).hasSize(2);
    assertThat(harEntries.get(0).get("request").get("url").asText()).isEqualTo(upstream.url() + "/greeting?lang=en");
    assertThat(harEntries.get(1).get("_entryType").asText()).isEqualTo("tunnel");
    assertThat(harEntries.get(1).get("_tunnel").get("port").asInt()).isEqualTo(upstream.port());

    JsonNode stopped = api("POST", "/api/v1/recorder/" + id + "/stop", null).expect(200).json().get("session");
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
  }

  /** Runs curl with {@code args} (silent, proxy exclusions from the environment ignored); its stdout. */
  private static String curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "--noproxy", ""));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl did not finish: " + command);
    }
    assertThat(process.exitValue()).as("exit code of %s", command).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static ApiClient.Answer api(String method, String path, String body) throws Exception {
    return ApiClient.admin(system).answer(method, path, body);
  }

  private static JsonNode awaitEntries(String id, int count) throws Exception {
    return ApiClient.admin(system).awaitEntries(id, count, Duration.ofSeconds(30));
  }
}
