package dev.tapedeck.converter.export.har;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Recordings;
import dev.tapedeck.testkit.HarSchema;
import org.junit.jupiter.api.Test;

/** The HAR goes through the same pipeline as every format: filtered, redacted, still valid. */
class HarRedactionTest {

  @Test
  void redactedHarIsValidAndHoldsNoSecret() {
    String har =
        Exports.export(
            ExportFormat.HAR,
            Recordings.shop(),
            Exports.options(o -> o.addRedactJsonPaths("$.sku")));
    assertThat(HarSchema.validate(har)).isEmpty();
    assertThat(har)
        .doesNotContain("s3cr3t")
        .doesNotContain("k-123")
        .contains("Bearer REDACTED")
        .contains("api_key=REDACTED")
        .contains("{\\\"sku\\\":\\\"REDACTED\\\",\\\"qty\\\":1}");
  }

  @Test
  void noRedactKeepsSecretsAndFiltersStillApply() {
    String har =
        Exports.export(
            ExportFormat.HAR,
            Recordings.shop(),
            Exports.options(o -> o.setNoRedact(true).addMethods("POST")));
    assertThat(HarSchema.validate(har)).isEmpty();
    assertThat(har).contains("Bearer s3cr3t-token").doesNotContain("/users/42");
  }

  @Test
  void defaultOptionsRedact() {
    assertThat(Exports.export(ExportFormat.HAR, Recordings.shop(), ConversionOptions.defaults()))
        .doesNotContain("s3cr3t");
  }
}
