package dev.tapedeck.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyPackingTest {

  private static byte[] json(int bytes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < bytes; i++) {
      text.append("{\"id\":").append(i).append(",\"name\":\"item ").append(i * 7919 % 1000).append("\"},");
    }
    return text.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLargeTextualBodyPacksAndUnpacksToTheSameBytes() {
    byte[] body = json(64 * 1024);
    byte[] framed = new byte[body.length + 10];
    System.arraycopy(body, 0, framed, 5, body.length);

    byte[] out = new byte[BodyPacking.maxPackedLength(body.length)];
    int packed = BodyPacking.pack(framed, 5, body.length, out);

    assertThat(packed).isBetween(1, body.length / 2);
    byte[] bytes = Arrays.copyOf(out, packed);
    assertThat(BodyPacking.unpack(BodyPacking.SNAPPY, bytes)).isEqualTo(body);
  }

  @Test
  void smallOrIncompressibleBodiesStayAsCaptured() {
    assertThat(BodyPacking.pack(json(4095), 0, 4095, new byte[BodyPacking.maxPackedLength(4095)])).isEqualTo(-1);
    byte[] random = new byte[64 * 1024];
    new Random(1).nextBytes(random);
    assertThat(BodyPacking.pack(random, 0, random.length, new byte[BodyPacking.maxPackedLength(random.length)]))
        .isEqualTo(-1);
  }

  @Test
  void unpackedBytesComeBackAsTheyAre() {
    byte[] body = json(100);
    assertThat(BodyPacking.unpack("", body)).isSameAs(body);
  }

  @Test
  void anUnknownPackingOrBrokenBytesAreRefusedByName() {
    assertThatThrownBy(() -> BodyPacking.unpack("brotli", new byte[10])).hasMessageContaining("brotli");
    assertThatThrownBy(() -> BodyPacking.unpack(BodyPacking.SNAPPY, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snappy");
  }
}
