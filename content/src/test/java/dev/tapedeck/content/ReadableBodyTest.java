package dev.tapedeck.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReadableBodyTest {

  private static ReadableBody read(byte[] data, String contentType, String encoding) {
    return ReadableBody.read(data, ContentType.parse(contentType), encoding, false);
  }

  @Test
  void latin1CsvReadsInItsDeclaredCharset() {
    String csv = "name;city\nRené;Zürich\nJörg;Gießen\n";
    byte[] latin1 = csv.getBytes(StandardCharsets.ISO_8859_1);

    BodyText text = read(latin1, "text/csv; charset=iso-8859-1", "").text();

    assertThat(text.base64()).isFalse();
    assertThat(text.text()).isEqualTo(csv);
  }

  @Test
  void utf8JsonWithNonAsciiReadsAsTextWithoutACharsetParameter() {
    String json = "{\"name\":\"Zoë\",\"city\":\"Łódź\",\"emoji\":\"☕\"}";

    BodyText text = read(json.getBytes(StandardCharsets.UTF_8), "application/json", null).text();

    assertThat(text.base64()).isFalse();
    assertThat(text.text()).isEqualTo(json);
  }

  @Test
  void anImageIsBase64() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    BodyText text = read(png, "image/png", "").text();

    assertThat(text.base64()).isTrue();
    assertThat(Base64.getDecoder().decode(text.text())).isEqualTo(png);
  }

  @Test
  void gzipEncodedJsonIsDecodedThenRead() {
    String json = "{\"greeting\":\"grüß dich\"}".repeat(20);
    byte[] gzipped = ContentCodings.encode(json.getBytes(StandardCharsets.UTF_8), "gzip");

    ReadableBody body = read(gzipped, "application/json; charset=utf-8", "gzip");

    assertThat(body.decoded().wasEncoded()).isTrue();
    assertThat(body.complete()).isTrue();
    assertThat(body.text().base64()).isFalse();
    assertThat(body.text().text()).isEqualTo(json);
  }

  @Test
  void textWithoutACharsetIsReadAsUtf8() {
    String html = "<p>café</p>";

    BodyText text = read(html.getBytes(StandardCharsets.UTF_8), "text/html", "").text();

    assertThat(text.text()).isEqualTo(html);
  }

  @Test
  void textWithoutACharsetThatIsNotUtf8IsBase64RatherThanGarbled() {
    byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);

    BodyText text = read(latin1, "text/plain", "").text();

    assertThat(text.base64()).isTrue();
    assertThat(Base64.getDecoder().decode(text.text())).isEqualTo(latin1);
  }

  @Test
  void anUndeclaredBodyIsTextWhenItIsCleanUtf8() {
    assertThat(read("{\"a\":\"ü\"}".getBytes(StandardCharsets.UTF_8), "", "").text())
        .isEqualTo(new BodyText("{\"a\":\"ü\"}", false));
    assertThat(read(new byte[] {1, 2, 3}, null, "").text().base64()).isTrue();
  }

  @Test
  void aBodyWhoseCodingCannotBeUndoneIsTheBase64OfTheCapturedBytes() {
    byte[] data = "not really gzip".getBytes(StandardCharsets.UTF_8);

    ReadableBody body = read(data, "application/json", "gzip");

    assertThat(body.bytes()).isEmpty();
    assertThat(body.text()).isEqualTo(BodyText.base64(data));
  }

  @Test
  void aTruncatedUtf8BodyCutInsideACharacterStaysText() {
    byte[] full = "naïve ☕".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 1);

    BodyText text =
        ReadableBody.read(cut, ContentType.parse("text/plain"), "", true).text();

    assertThat(text.base64()).isFalse();
    assertThat(text.text()).isEqualTo("naïve ");
  }

  @Test
  void decodingStopsAtTheLimitAndSaysTheBodyIsIncomplete() {
    byte[] bomb = ContentCodings.encode(new byte[1024 * 1024], "gzip");

    ReadableBody body =
        ReadableBody.read(bomb, ContentType.parse("text/plain"), "gzip", false, 4096);

    assertThat(body.complete()).isFalse();
    assertThat(body.bytes()).hasValueSatisfying(b -> assertThat(b).hasSize(4096));
    assertThat(ContentCodings.DEFAULT_MAX_DECODED_BYTES).isEqualTo(64 * 1024 * 1024);
  }
}
