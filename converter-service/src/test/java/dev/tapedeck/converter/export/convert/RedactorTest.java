package dev.tapedeck.converter.export.convert;

import static dev.tapedeck.converter.export.har.TestExchanges.header;
import static dev.tapedeck.converter.export.har.TestExchanges.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final StoredEntry ENTRY =
      TestExchanges.stored(
          TestExchanges.exchange("e-1")
              .setRequest(
                  CapturedRequest.newBuilder()
                      .setMethod("POST")
                      .setUrl(
                          "https://api.example.test/login?api_key=abc&page=2&access_token=t#top")
                      .addHeaders(header("Authorization", "Bearer eyJhbGciOi"))
                      .addHeaders(header("Cookie", "session=abc123; theme=dark"))
                      .addHeaders(header("X-API-Key", "k-1"))
                      .addHeaders(header("X-Auth-Token", "t-1"))
                      .addHeaders(header("Accept", "application/json"))
                      .setBody(
                          text(
                              "{\"user\":{\"name\":\"ada\",\"password\":\"hunter2\"}}",
                              "application/json")))
              .setResponse(
                  CapturedResponse.newBuilder()
                      .setStatusCode(200)
                      .addHeaders(header("Set-Cookie", "session=def456; Path=/; HttpOnly"))
                      .setBody(
                          text(
                              "{\"token\":\"secret\",\"items\":[{\"card\":\"4111\"}],"
                                  + "\"total\":12345678901234567890.10}",
                              "application/json")))
              .build(),
          1);

  private final Redactor redactor =
      new Redactor(List.of(JsonPath.compile("$.user.password"), JsonPath.compile("$..card")));

  @Test
  void replacesSecretHeadersKeepingSchemesAndCookieNames() {
    CapturedExchange redacted = redactor.redact(ENTRY).getExchange();
    assertThat(redacted.getRequest().getHeadersList())
        .extracting(Header::getValue)
        .containsExactly(
            "Bearer REDACTED",
            "session=REDACTED; theme=REDACTED",
            "REDACTED",
            "REDACTED",
            "application/json");
    assertThat(redacted.getResponse().getHeaders(0).getValue())
        .isEqualTo("session=REDACTED; Path=/; HttpOnly");
  }

  @Test
  void replacesSecretQueryParameters() {
    assertThat(redactor.redact(ENTRY).getExchange().getRequest().getUrl())
        .isEqualTo(
            "https://api.example.test/login?api_key=REDACTED&page=2&access_token=REDACTED#top");
  }

  @Test
  void replacesConfiguredJsonPathsInBothBodies() {
    CapturedExchange redacted = redactor.redact(ENTRY).getExchange();
    assertThat(redacted.getRequest().getBody().getData().toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"user\":{\"name\":\"ada\",\"password\":\"REDACTED\"}}");
    assertThat(redacted.getResponse().getBody().getData().toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"token\":\"secret\",\"items\":[{\"card\":\"REDACTED\"}],"
                + "\"total\":12345678901234567890.10}");
  }

  @Test
  void longHeaderNamesAreCheckedInLinearTime() {
    String name = "x-" + "a".repeat(60_000) + "-tok";
    long start = System.nanoTime();
    assertThat(Redactor.isSecretHeader(name)).isFalse();
    assertThat(Redactor.isSecretHeader("x-" + "a".repeat(60_000) + "-token")).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
  }
}
