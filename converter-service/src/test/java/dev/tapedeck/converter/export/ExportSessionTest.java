package dev.tapedeck.converter.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportSessionTest {

  @Test
  void namesTheFileAfterTheSessionNameOrElseItsId() {
    assertThat(new ExportSession("s-1", "Checkout flow", "v").fileName(".har"))
        .isEqualTo("Checkout flow.har");
    assertThat(new ExportSession("s-1", "", "v").fileName(".har")).isEqualTo("s-1.har");
    assertThat(new ExportSession("s-1", "  ", "v").fileName(".har")).isEqualTo("s-1.har");
  }

  @Test
  void keepsPathsAndHeaderBreakingCharactersOutOfTheFileName() {
    assertThat(new ExportSession("s", "../etc/\"passwd\"\r\n", "v").fileName(".har"))
        .isEqualTo("session.._etc__passwd_.har");
    assertThat(new ExportSession("s", "a\\b:c*d?e<f>g|h\u0007 Grüße", "v").fileName(".har"))
        .isEqualTo("a_b_c_d_e_f_g_h_ Grüße.har");
  }

  @Test
  void anEmptyFormatMeansHarAndUnknownFormatsAreRefused() {
    assertThat(ExportFormat.named("")).contains(ExportFormat.HAR);
    assertThat(ExportFormat.named("HAR")).contains(ExportFormat.HAR);
    assertThat(ExportFormat.named("postman")).contains(ExportFormat.POSTMAN);
    assertThat(ExportFormat.named("soapui")).isEmpty();
  }
}
