package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptureBatchingTest {

  @Test
  void everyCodecKafkaKnowsIsTaken() {
    for (String codec : new String[] {"none", "gzip", "snappy", "lz4", "zstd"}) {
      assertThat(new KafkaCaptureSink.Batching(codec, 262_144, Duration.ofMillis(5)).compression()).isEqualTo(codec);
    }
  }

  @Test
  void anUnknownCodecIsRefusedByName() {
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("brotli", 262_144, Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tapedeck.capture.compression")
        .hasMessageContaining("brotli");
  }

  @Test
  void aBatchOutsideOneKibToTheRequestLimitIsRefused() {
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("lz4", 512, Duration.ofMillis(5)))
        .hasMessageContaining("tapedeck.capture.batch-bytes");
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("lz4", 9 * 1024 * 1024, Duration.ofMillis(5)))
        .hasMessageContaining("tapedeck.capture.batch-bytes");
    assertThat(new KafkaCaptureSink.Batching("lz4", 8 * 1024 * 1024, Duration.ZERO).batchBytes()).isEqualTo(8 * 1024 * 1024);
  }
}
