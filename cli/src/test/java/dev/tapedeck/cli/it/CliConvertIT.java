package dev.tapedeck.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tapedeck.testkit.RepoRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapedeck convert} offline, no server running for it: a HAR as Chromium's DevTools saves it
 * becomes stub mappings that the real WireMock 3 loads and answers with.
 */
class CliConvertIT {
  @TempDir Path dir;

  @Test
  void aChromiumHarBecomesMappingsWireMockLoadsAndAnswers() throws Exception {
    Path har = RepoRoot.find().resolve("cli/src/test/resources/chromium.har");
    Path mappings = Files.createDirectories(dir.resolve("mappings"));

    CliProcess.Result result =
        CliProcess.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1"), "convert", har.toString(), "--format", "wiremock", "--smart-match",
            "-o", mappings.resolve("tapedeck.json").toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("converted 3 of 3 entries to wiremock");
    WireMockServer wireMock = new WireMockServer(WireMockConfiguration.options().dynamicPort().usingFilesUnderDirectory(dir.toString()));
    wireMock.start();
    try {
      assertThat(wireMock.getStubMappings()).hasSize(3);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + wireMock.port();
      HttpResponse<String> product =
          http.send(HttpRequest.newBuilder(URI.create(base + "/api/products/777?lang=en")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(product.statusCode()).isEqualTo(200);
      assertThat(product.body()).isEqualTo("{\"id\":12345,\"name\":\"Teapot\",\"price\":19.5}");
      HttpResponse<String> cart =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/cart"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"productId\":12345}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(cart.statusCode()).isEqualTo(201);
      assertThat(cart.body()).isEqualTo("{\"cartId\":\"c-1\",\"items\":1}");
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("down");
    } finally {
      wireMock.stop();
    }
  }
}
