package dev.tapedeck.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ContentCodingsTest {
  private static final byte[] TEXT =
      "{\"hello\":\"world\",\"n\":12345}".repeat(200).getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "x-gzip", "deflate", "br", "zstd", "gzip, br", "zstd,gzip"})
  void decodesWhatItEncodes(String encoding) {
    byte[] encoded = ContentCodings.encode(TEXT, encoding);
    assertThat(encoded).isNotEqualTo(TEXT);
    assertThat(encoded.length).isLessThan(TEXT.length);

    DecodedContent decoded = ContentCodings.decode(encoded, encoding, false);
    assertThat(decoded.bytes()).isEqualTo(TEXT);
    assertThat(decoded.decoded()).isTrue();
    assertThat(decoded.complete()).isTrue();
    assertThat(decoded.wasEncoded()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate", "br", "zstd"})
  void aTruncatedCaptureDecodesAsFarAsItGoes(String encoding) {
    byte[] big = new byte[512 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + (i * 7919 % 26));
    }
    byte[] encoded = ContentCodings.encode(big, encoding);
    byte[] start = Arrays.copyOf(encoded, encoded.length / 2);

    DecodedContent decoded = ContentCodings.decode(start, encoding, true);
    assertThat(decoded.complete()).isFalse();
    if (decoded.decoded()) {
      assertThat(decoded.bytes()).isNotEmpty();
      assertThat(big).startsWith(decoded.bytes());
    }
  }

  @Test
  void stopsAtTheOutputLimit() {
    byte[] zeros = new byte[10 * 1024 * 1024];
    byte[] bomb = ContentCodings.encode(zeros, "gzip");
    DecodedContent decoded = ContentCodings.decode(bomb, "gzip", false, 1024 * 1024);
    assertThat(decoded.bytes()).hasSize(1024 * 1024);
    assertThat(decoded.complete()).isFalse();
  }

  @Test
  void unknownOrCorruptLeavesTheBytesAsCaptured() {
    byte[] raw = "not compressed".getBytes(StandardCharsets.UTF_8);
    DecodedContent unknown = ContentCodings.decode(raw, "compress", false);
    assertThat(unknown.bytes()).isEqualTo(raw);
    assertThat(unknown.decoded()).isFalse();
    assertThat(ContentCodings.supports("compress")).isFalse();
    assertThat(ContentCodings.supports("gzip, br")).isTrue();

    DecodedContent corrupt = ContentCodings.decode(raw, "gzip", false);
    assertThat(corrupt.bytes()).isEqualTo(raw);
    assertThat(corrupt.decoded()).isFalse();

    DecodedContent identity = ContentCodings.decode(raw, " Identity ", false);
    assertThat(identity.bytes()).isEqualTo(raw);
    assertThat(identity.decoded()).isTrue();
    assertThat(identity.wasEncoded()).isFalse();
  }

  @Test
  void rawDeflateWithoutTheZlibWrapperDecodesToo() throws Exception {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
    deflater.setInput(TEXT);
    deflater.finish();
    byte[] buffer = new byte[TEXT.length];
    int n = deflater.deflate(buffer);
    byte[] raw = Arrays.copyOf(buffer, n);
    assertThat(ContentCodings.decode(raw, "deflate", false).bytes()).isEqualTo(TEXT);
  }

  @Test
  void anUnsupportedCodingCannotBeEncoded() {
    assertThatThrownBy(() -> ContentCodings.encode(TEXT, "compress"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compress");
  }

  @Test
  void textMediaTypes() {
    assertThat(MediaTypes.isText("application/json; charset=utf-8")).isTrue();
    assertThat(MediaTypes.isText("application/problem+json")).isTrue();
    assertThat(MediaTypes.isText("text/event-stream")).isTrue();
    assertThat(MediaTypes.isText("image/png")).isFalse();
    assertThat(MediaTypes.isText("")).isFalse();
    assertThat(MediaTypes.isText(null)).isFalse();
  }
}
