package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptureBatchingTest {
  private static final int SEND_BUFFER = 1 << 20;

  @Test
  void everyCodecKafkaKnowsIsTaken() {
    for (String codec : new String[] {"none", "gzip", "snappy", "lz4", "zstd"}) {
      assertThat(new KafkaCaptureSink.Batching(codec, 262_144, Duration.ofMillis(5), SEND_BUFFER).compression()).isEqualTo(codec);
    }
  }

  @Test
  void anUnknownCodecIsRefusedByName() {
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("brotli", 262_144, Duration.ofMillis(5), SEND_BUFFER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tapedeck.capture.compression")
        .hasMessageContaining("brotli");
  }

  @Test
  void aBatchOutsideOneKibToTheRequestLimitIsRefused() {
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("lz4", 512, Duration.ofMillis(5), SEND_BUFFER))
        .hasMessageContaining("tapedeck.capture.batch-bytes");
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("lz4", 9 * 1024 * 1024, Duration.ofMillis(5), SEND_BUFFER))
        .hasMessageContaining("tapedeck.capture.batch-bytes");
    assertThat(new KafkaCaptureSink.Batching("lz4", 8 * 1024 * 1024, Duration.ZERO, SEND_BUFFER).batchBytes()).isEqualTo(8 * 1024 * 1024);
  }

  @Test
  void aBatchNeverOutgrowsAQuarterOfTheProducersBuffer() {
    KafkaCaptureSink.Batching batching = new KafkaCaptureSink.Batching("none", 262_144, Duration.ofMillis(5), SEND_BUFFER);
    // The default 32 MiB buffer leaves the batch as configured ...
    assertThat(batching.batchBytesWithin(32L * 1024 * 1024)).isEqualTo(262_144);
    // ... a 128 KiB buffer (NoLossIT's) would refuse every 256 KiB batch: it gets 32 KiB ones.
    assertThat(batching.batchBytesWithin(131_072)).isEqualTo(32_768);
    assertThat(batching.batchBytesWithin(2048)).isEqualTo(1024);
  }

  @Test
  void aSendBufferIsTheSystemsDefaultOrABound() {
    assertThat(new KafkaCaptureSink.Batching("snappy", 262_144, Duration.ofMillis(5), -1).sendBufferBytes()).isEqualTo(-1);
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("snappy", 262_144, Duration.ofMillis(5), -2))
        .hasMessageContaining("tapedeck.capture.send-buffer-bytes");
  }

  @Test
  void theRequestTimeoutLeavesRoomForTheLingerWithinTheDeliveryTimeout() {
    // Kafka refuses delivery.timeout.ms under linger.ms + request.timeout.ms: with the default 30 s
    // delivery timeout a linger over 10 ms used to stop the proxy's start with that message.
    assertThat(KafkaCaptureSink.requestTimeoutMillis(Duration.ofSeconds(30), Duration.ofMillis(5))).isEqualTo(29_985);
    assertThat(KafkaCaptureSink.requestTimeoutMillis(Duration.ofSeconds(30), Duration.ofMillis(25))).isEqualTo(29_965);
    assertThat(KafkaCaptureSink.requestTimeoutMillis(Duration.ofSeconds(120), Duration.ofMillis(50))).isEqualTo(30_000);
    assertThat(KafkaCaptureSink.requestTimeoutMillis(Duration.ofSeconds(2), Duration.ZERO)).isEqualTo(1_990);
  }

  @Test
  void aDeliveryTimeoutThatLeavesUnderASecondAfterTheLingerIsRefusedByName() {
    assertThatThrownBy(() -> KafkaCaptureSink.requestTimeoutMillis(Duration.ofSeconds(1), Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tapedeck.capture.delivery-timeout")
        .hasMessageContaining("tapedeck.capture.linger");
  }

  @Test
  void aNegativeLingerIsRefusedByName() {
    assertThatThrownBy(() -> new KafkaCaptureSink.Batching("snappy", 262_144, Duration.ofMillis(-1), SEND_BUFFER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tapedeck.capture.linger");
  }
}
