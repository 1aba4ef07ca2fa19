package dev.tapedeck.converter.export.har;

import static org.assertj.core.api.Assertions.assertThat;

import de.sstoehr.harreader.model.HarContent;
import de.sstoehr.harreader.model.HarPostData;
import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarContentMapperTest {

  private static final String CSV = "name;city\nRené;Zürich\nStraße;Gießen\n";

  @Test
  void aLatin1CsvIsTextInItsCharsetInTheHarAndInEveryOtherExport() {
    Body body = TestExchanges.body(CSV.getBytes(StandardCharsets.ISO_8859_1), "text/csv; charset=iso-8859-1");
    CapturedResponse response = CapturedResponse.newBuilder().setStatusCode(200).setBody(body).build();

    HarContent content = HarContentMapper.map(response);
    Content converted = Content.of(body, List.of());

    assertThat(content.getText()).isEqualTo(CSV);
    assertThat(content.getEncoding()).isNull();
    assertThat(content.getMimeType()).isEqualTo("text/csv; charset=iso-8859-1");
    assertThat(converted.text()).isEqualTo(CSV);
    assertThat(converted.base64()).isFalse();
    assertThat(converted.mimeType()).isEqualTo("text/csv");
  }

  @Test
  void aBodyWithoutItsOwnTypeTakesTheContentTypeHeader() {
    Body body = TestExchanges.body(CSV.getBytes(StandardCharsets.ISO_8859_1), "");
    CapturedRequest request =
        CapturedRequest.newBuilder()
            .setMethod("POST")
            .addHeaders(TestExchanges.header("content-type", "text/csv;charset=ISO-8859-1"))
            .setBody(body)
            .build();

    HarPostData postData = HarPostDataMapper.map(request);

    assertThat(postData.getText()).isEqualTo(CSV);
    assertThat(postData.getMimeType()).isEqualTo("text/csv;charset=ISO-8859-1");
    assertThat(postData.getAdditional().get("_encoding")).isNull();
  }

  @Test
  void textThatIsNotValidInItsCharsetIsBase64RatherThanGarbled() {
    byte[] latin1 = CSV.getBytes(StandardCharsets.ISO_8859_1);
    Body body = TestExchanges.body(latin1, "text/csv");
    CapturedResponse response = CapturedResponse.newBuilder().setStatusCode(200).setBody(body).build();

    HarContent content = HarContentMapper.map(response);

    assertThat(content.getEncoding()).isEqualTo("base64");
    assertThat(java.util.Base64.getDecoder().decode(content.getText())).isEqualTo(latin1);
  }
}
