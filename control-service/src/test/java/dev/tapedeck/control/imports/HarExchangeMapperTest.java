package dev.tapedeck.control.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HarExchangeMapperTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CapturedExchange imported(String mimeType, String text) throws Exception {
    String entry =
        "{\"startedDateTime\":\"2026-12-03T10:00:00.000Z\",\"request\":{\"method\":\"GET\",\"url\":\"http://a/x\"},"
            + "\"response\":{\"status\":200,\"content\":{\"mimeType\":" + JSON.writeValueAsString(mimeType)
            + ",\"text\":" + JSON.writeValueAsString(text) + "}}}";
    return HarExchangeMapper.map(JSON.readTree(entry), "s-1");
  }

  @Test
  void aLatin1TextBodyComesBackAsTheLatin1BytesItWasReadFrom() throws Exception {
    byte[] original = "name;city\nJürgen;Köln\nße".getBytes(StandardCharsets.ISO_8859_1);
    String inHar = new String(original, StandardCharsets.ISO_8859_1);

    CapturedExchange e = imported("text/csv; charset=ISO-8859-1", inHar);

    assertThat(e.getResponse().getBody().getData().toByteArray()).isEqualTo(original);
    assertThat(e.getResponse().getBody().getSize()).isEqualTo(original.length);
  }

  @Test
  void withoutACharsetOrWhenTheDeclaredOneCannotHoldTheTextItIsUtf8() throws Exception {
    assertThat(imported("application/json", "{\"a\":\"é\"}").getResponse().getBody().getData().toByteArray())
        .isEqualTo("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(imported("text/plain; charset=ISO-8859-1", "snow ☃").getResponse().getBody().getData().toByteArray())
        .isEqualTo("snow ☃".getBytes(StandardCharsets.UTF_8));
  }
}
