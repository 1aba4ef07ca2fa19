package dev.tapedeck.converter.export.wiremock;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Starts the real WireMock 3 (the standalone jar from Maven Central) on the generated mappings
 * file, as a user would drop it into WireMock's {@code mappings/} folder, and replays every
 * recorded request in the recorded order: each must get the recorded status and body.
 */
class WireMockMappingsIT {

  private static final Set<String> NOT_SENT =
      Set.of("host", "content-length", "connection", "authorization");
  private final HttpClient client = HttpClient.newHttpClient();

  static Stream<Arguments> optionSets() {
    return Stream.of(
        Arguments.of("exact, every response", Exports.options(o -> o.setDuplicates("all"))),
        Arguments.of(
            "smart match, every response",
            Exports.options(o -> o.setSmartMatch(true).setDuplicates("all"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionSets")
  void answersEveryRecordedRequestWithItsRecordedResponse(
      String name, ConversionOptions options, @TempDir Path dir) throws Exception {
    Recordings extra = new Recordings();
    extra.add(
        "GET",
        "/files/annual%20report.pdf?q=hello%20world&lang=en",
        List.of(),
        "",
        200,
        "{\"file\":\"annual report.pdf\"}");
    List<StoredEntry> entries = new ArrayList<>(Recordings.shop());
    entries.addAll(extra.entries());
    entries.add(TestExchanges.stored(TestExchanges.gzipText("<h1>Grüße</h1>"), 100));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    entries.add(TestExchanges.stored(TestExchanges.binaryImage(png), 101));

    WireMockServer wireMock = start(dir, Exports.export(ExportFormat.WIREMOCK, entries, options));
    try {
      for (StoredEntry entry : entries) {
        CapturedExchange recorded = entry.getExchange();
        HttpResponse<byte[]> answer = replay(wireMock.port(), recorded);
        String what = recorded.getRequest().getMethod() + " " + recorded.getRequest().getUrl();
        assertThat(answer.statusCode()).as(what).isEqualTo(recorded.getResponse().getStatusCode());
        // Latin-1 maps bytes to chars one to one: binary bodies compare exactly, and print.
        assertThat(new String(answer.body(), StandardCharsets.ISO_8859_1))
            .as(what)
            .isEqualTo(new String(decodedBody(recorded), StandardCharsets.ISO_8859_1));
      }
    } finally {
      wireMock.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionSets")
  void answersIdsNeverRecordedOnlyWithSmartMatching(
      String name, ConversionOptions options, @TempDir Path dir) throws Exception {
    WireMockServer wireMock =
        start(dir, Exports.export(ExportFormat.WIREMOCK, Recordings.shop(), options));
    try {
      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(URI.create(wireMock.baseUrl() + "/users/99")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (options.smartMatch()) {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"id\":42,\"name\":\"Ada\",\"roles\":[\"admin\"]}");
      } else {
        assertThat(answer.statusCode()).isEqualTo(404);
      }
    } finally {
      wireMock.stop();
    }
  }

  private static WireMockServer start(Path dir, String mappings) throws IOException {
    Files.createDirectories(dir.resolve("mappings"));
    Files.writeString(dir.resolve("mappings/tapedeck.json"), mappings);
    WireMockServer wireMock =
        new WireMockServer(
            WireMockConfiguration.options().dynamicPort().usingFilesUnderDirectory(dir.toString()));
    wireMock.start();
    return wireMock;
  }

  private HttpResponse<byte[]> replay(int port, CapturedExchange recorded) throws Exception {
    URI url = URI.create(recorded.getRequest().getUrl());
    String pathAndQuery =
        url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    byte[] body = recorded.getRequest().getBody().getData().toByteArray();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
            .method(
                recorded.getRequest().getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Header header : recorded.getRequest().getHeadersList()) {
      if (!NOT_SENT.contains(header.getName().toLowerCase(Locale.ROOT))) {
        request.header(header.getName(), header.getValue());
      }
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] decodedBody(CapturedExchange recorded) throws IOException {
    byte[] data = recorded.getResponse().getBody().getData().toByteArray();
    if (!recorded.getResponse().getBody().getContentEncoding().equals("gzip")) {
      return data;
    }
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
