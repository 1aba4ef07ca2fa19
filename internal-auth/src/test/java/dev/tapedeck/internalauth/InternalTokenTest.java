package dev.tapedeck.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalTokenTest {
  private static final String TOKEN = "a".repeat(16) + "b".repeat(16) + "c".repeat(16);

  @Test
  void acceptsOnlyTheBearerHeaderWithTheExactToken() {
    InternalToken token = InternalToken.of(TOKEN, true);

    assertThat(token.acceptsAuthorization("Bearer " + TOKEN)).isTrue();
    assertThat(token.acceptsAuthorization("bearer " + TOKEN)).as("the scheme is case-insensitive").isTrue();
    assertThat(token.acceptsAuthorization(TOKEN)).as("no scheme").isFalse();
    assertThat(token.acceptsAuthorization("Basic " + TOKEN)).isFalse();
    assertThat(token.acceptsAuthorization("Bearer " + TOKEN + "x")).isFalse();
    assertThat(token.acceptsAuthorization("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(token.acceptsAuthorization("Bearer ")).isFalse();
    assertThat(token.acceptsAuthorization(null)).isFalse();
  }

  @Test
  void requiredTokenThatIsMissingStopsTheServiceNamingTheSettings() {
    assertThatThrownBy(() -> InternalToken.of(null, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tapedeck.internal.token")
        .hasMessageContaining("TAPEDECK_INTERNAL_TOKEN")
        .hasMessageContaining("tapedeck.internal.auth.enabled=false");
    assertThatThrownBy(() -> new InternalToken(Optional.of("   "), true))
        .hasMessageContaining("is not set");
  }

  @Test
  void requiredTokenShorterThan32CharactersIsRefused() {
    assertThatThrownBy(() -> InternalToken.of("x".repeat(31), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("31 characters")
        .hasMessageContaining("at least 32");
    assertThat(InternalToken.of("x".repeat(32), true).configured()).isTrue();
  }

  @Test
  void switchedOffTheTokenMayBeMissingAndMatchesNothing() {
    InternalToken off = InternalToken.of(null, false);

    assertThat(off.required()).isFalse();
    assertThat(off.configured()).isFalse();
    assertThat(off.value()).isEmpty();
    assertThat(off.matches("")).isFalse();
    assertThat(off.acceptsAuthorization("Bearer ")).isFalse();
  }
}
