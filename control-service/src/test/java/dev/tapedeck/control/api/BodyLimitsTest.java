package dev.tapedeck.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class BodyLimitsTest {
  private final BodyLimits limits =
      new BodyLimits(size(1 << 20), size(16 << 20), size(200L << 20));

  private static MemorySize size(long bytes) {
    return new MemorySize(BigInteger.valueOf(bytes));
  }

  @Test
  void harImportHasTheLargeLimitAndJsonCallsTheSmallOne() {
    assertThat(limits.limitFor(HttpMethod.POST, "/api/v1/recorder/import").bytes()).isEqualTo(200L << 20);
    assertThat(limits.limitFor(HttpMethod.POST, "/api/v1/recorder/start").bytes()).isEqualTo(1 << 20);
    assertThat(limits.limitFor(HttpMethod.POST, "/api/v1/recorder/configs/import").setting())
        .isEqualTo("tapedeck.http.limits.json-body");
    assertThat(limits.limitFor(HttpMethod.POST, "/api/v1/mocks").bytes()).isEqualTo(16 << 20);
  }

  @Test
  void limitsReadAsPeopleWriteThem() {
    assertThat(BodyLimits.describe(1 << 20)).isEqualTo("1 MiB");
    assertThat(BodyLimits.describe(64 << 10)).isEqualTo("64 KiB");
    assertThat(BodyLimits.describe(1000)).isEqualTo("1000 bytes");
  }
}
