package dev.tapedeck.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import org.junit.jupiter.api.Test;

class SessionConfigValidatorTest {
  private final SessionConfigValidator validator = new SessionConfigValidator(1 << 20, 8081, 8999);

  @Test
  void fillsDefaultsForAMinimalReverseSession() {
    SessionConfig config =
        validator.validate(new StartRequest(null, null, "http://localhost:5780/", null, null, null, null));
    assertThat(config.mode()).isEqualTo("reverse");
    assertThat(config.targetUrl()).isEqualTo("http://localhost:5780");
    assertThat(config.listenPort()).isZero();
    assertThat(config.namespace()).isEqualTo("default");
    assertThat(config.record()).isTrue();
    assertThat(config.captureBodyLimitBytes()).isEqualTo(1 << 20);
  }

  @Test
  void listsEveryFieldAtFaultAtOnce() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> validator.validate(new StartRequest(null, "sideways", "ftp://x", 80, null, null, -1L)));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("validation_error");
    assertThat(e.fields())
        .extracting(FieldError::field)
        .containsExactly("mode", "targetUrl", "listenPort", "captureBodyLimitBytes");
  }

  @Test
  void requiresTargetUrlInReverseModeOnly() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> validator.validate(new StartRequest(null, "reverse", null, null, null, null, null)));
    assertThat(e.fields()).extracting(FieldError::field).containsExactly("targetUrl");
    assertThat(validator.validate(new StartRequest(null, "forward", null, null, null, null, null)).mode())
        .isEqualTo("forward");
  }

  @Test
  void refusesABodyLimitAboveTheConfiguredMaximum() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () ->
                validator.validate(
                    new StartRequest(null, null, "http://a", null, null, null, (1L << 20) + 1)));
    assertThat(e.getMessage()).contains("captureBodyLimitBytes").contains("1048576");
  }

  @Test
  void captureOverflowAndDurabilityDefaultToBackpressureAndAsyncAndRefuseOtherValues() {
    SessionConfig defaults = validator.validate(new StartRequest(null, null, "http://a", null, null, null, null));
    assertThat(defaults.captureOverflow()).isEqualTo("backpressure");
    assertThat(defaults.durability()).isEqualTo("async");
    SessionConfig chosen =
        validator.validate(
            new StartRequest(
                null, null, "http://a", null, null, null, null, null, null, null, null, null, null, null, null, null,
                "drop", "acked", null, null, null));
    assertThat(chosen.captureOverflow()).isEqualTo("drop");
    assertThat(chosen.durability()).isEqualTo("acked");
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () ->
                validator.validate(
                    new StartRequest(
                        null, null, "http://a", null, null, null, null, null, null, null, null, null, null, null,
                        null, null, "discard", "sync", null, null, null)));
    assertThat(e.fields()).extracting(FieldError::field).containsExactly("captureOverflow", "durability");
  }
}
