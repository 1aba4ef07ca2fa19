package dev.tapedeck.control.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.session.StartRequest;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.UpstreamProxy;
import dev.tapedeck.policy.UpstreamTls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n-----END PRIVATE KEY-----\n";
  private final SecretBox box = new SecretBox("a test key text that is long enough to use");

  private static StartRequest request() {
    return new StartRequest(
        "s", "reverse", "https://api.example.com", null, null, null, null, null, null,
        new Modifications(
            List.of(new HeaderRule("add", "Authorization", "Bearer sk_live_123", true), new HeaderRule("add", "X-Plain", "shown")),
            List.of(new HeaderRule("replace", "Set-Cookie", "sid=abc", true)),
            null, null),
        null, null, null,
        new UpstreamTls(false, null, "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", KEY_PEM),
        "http://proxyuser:p%40ss:word@corp-proxy:3128",
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void redactedConfigShowsSetForEverySecretAndKeepsTheRest() throws Exception {
    StartRequest shown = Secrets.redact(request());
    String text = new ObjectMapper().writeValueAsString(shown);
    assertThat(text).doesNotContain("sk_live_123", "sid=abc", "PRIVATE KEY", "p@ss", "p%40ss");
    assertThat(shown.upstreamTls().clientKeyPem()).isEqualTo("(set)");
    assertThat(shown.upstreamTls().clientCertPem()).contains("CERTIFICATE");
    assertThat(shown.upstreamProxy()).isEqualTo("http://proxyuser:(set)@corp-proxy:3128");
    assertThat(shown.modifications().requestHeaders().get(0).value()).isEqualTo("(set)");
    assertThat(shown.modifications().requestHeaders().get(1).value()).isEqualTo("shown");
    assertThat(shown.modifications().responseHeaders().get(0).value()).isEqualTo("(set)");
  }

  @Test
  void sealedSecretsAreCiphertextAndOpenToTheOriginalValues() throws Exception {
    StartRequest sealed = Secrets.map(request(), box::seal);
    String text = new ObjectMapper().writeValueAsString(sealed);
    assertThat(text).doesNotContain("sk_live_123", "sid=abc", "PRIVATE KEY", "p@ss", "p%40ss");
    assertThat(sealed.upstreamTls().clientKeyPem()).startsWith("enc:v1:");
    StartRequest opened = Secrets.map(sealed, box::open);
    assertThat(opened.upstreamTls().clientKeyPem()).isEqualTo(KEY_PEM);
    assertThat(opened.modifications().requestHeaders().get(0).value()).isEqualTo("Bearer sk_live_123");
    UpstreamProxy proxy = UpstreamProxy.parse(opened.upstreamProxy());
    assertThat(proxy.username()).isEqualTo("proxyuser");
    assertThat(proxy.password()).isEqualTo("p@ss:word");
    assertThat(proxy.host()).isEqualTo("corp-proxy");
    assertThat(proxy.port()).isEqualTo(3128);
  }

  @Test
  void aValueSealedUnderAnotherKeyDoesNotOpenAndTheErrorHoldsNoSecret() {
    String sealed = box.seal("sk_live_123");
    Throwable t = catchThrowable(() -> new SecretBox("another key text, also long enough here").open(sealed));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageNotContaining("sk_live_123");
  }

  @Test
  void sealingTheSameValueTwiceGivesDifferentCiphertexts() {
    assertThat(box.seal("same")).isNotEqualTo(box.seal("same"));
    assertThat(box.open("plain value stored before encryption")).isEqualTo("plain value stored before encryption");
  }

  @Test
  void aNewConfigHoldingThePlaceholderIsRefusedWithEachFieldNamed() {
    List<FieldError> errors = Secrets.placeholders(Secrets.redact(request()));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly(
            "upstreamTls.clientKeyPem",
            "upstreamProxy",
            "modifications.requestHeaders[0].value",
            "modifications.responseHeaders[0].value");
    assertThat(Secrets.placeholders(request())).isEmpty();
  }

  @Test
  void putWithThePlaceholderKeepsTheStoredSecretOfTheSameRule() {
    Modifications stored = request().modifications();
    Modifications sentBack =
        new Modifications(
            List.of(
                new HeaderRule("add", "X-New", "v"),
                new HeaderRule("add", "authorization", "(set)", true)),
            List.of(),
            null, null);
    List<FieldError> errors = new ArrayList<>();
    Modifications kept = Secrets.keepStored(sentBack, stored, errors);
    assertThat(errors).isEmpty();
    assertThat(kept.requestHeaders().get(1).value()).isEqualTo("Bearer sk_live_123");
    assertThat(kept.requestHeaders().get(1).marksSecret()).isTrue();
    assertThat(kept.responseHeaders()).isEmpty();

    Secrets.keepStored(
        new Modifications(List.of(new HeaderRule("add", "X-Other", "(set)", true)), null, null, null), stored, errors);
    assertThat(errors).extracting(FieldError::field).containsExactly("modifications.requestHeaders[0].value");
  }
}
