package dev.tapedeck.control.entries;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.Header;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API shows a body by the shared content model: text in its charset, base64 otherwise. */
class BodyViewTest {

  private static Body body(byte[] data, String contentType, String encoding) {
    return Body.newBuilder()
        .setData(ByteString.copyFrom(data))
        .setSize(data.length)
        .setContentType(contentType)
        .setContentEncoding(encoding)
        .build();
  }

  @Test
  void aLatin1CsvIsShownAsTextInItsCharset() {
    String csv = "name;city\nRené;Zürich\nStraße;Gießen\n";

    BodyView view =
        BodyView.of(
            body(csv.getBytes(StandardCharsets.ISO_8859_1), "text/csv; charset=iso-8859-1", ""),
            List.of());

    assertThat(view.text()).isEqualTo(csv);
    assertThat(view.base64()).isNull();
    assertThat(view.contentType()).isEqualTo("text/csv; charset=iso-8859-1");
  }

  @Test
  void aGzippedJsonIsShownDecodedWithTheCapturedBytesBeside() {
    String json = "{\"name\":\"Zoë ☕\"}";
    byte[] gzipped = ContentCodings.encode(json.getBytes(StandardCharsets.UTF_8), "gzip");

    BodyView view = BodyView.of(body(gzipped, "application/json", "gzip"), List.of());

    assertThat(view.text()).isEqualTo(json);
    assertThat(view.rawBase64()).isEqualTo(Base64.getEncoder().encodeToString(gzipped));
  }

  @Test
  void aBodyWithoutItsOwnTypeTakesTheContentTypeHeader() {
    String csv = "Jörg";
    BodyView view =
        BodyView.of(
            body(csv.getBytes(StandardCharsets.ISO_8859_1), "", ""),
            List.of(Header.newBuilder().setName("Content-Type").setValue("text/plain; charset=latin1").build()));

    assertThat(view.text()).isEqualTo(csv);
    assertThat(view.contentType()).isEqualTo("text/plain; charset=latin1");
  }

  @Test
  void anImageIsShownAsBase64() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};

    BodyView view = BodyView.of(body(png, "image/png", ""), List.of());

    assertThat(view.text()).isNull();
    assertThat(Base64.getDecoder().decode(view.base64())).isEqualTo(png);
  }
}
