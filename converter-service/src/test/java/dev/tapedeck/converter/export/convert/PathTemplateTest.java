package dev.tapedeck.converter.export.convert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathTemplateTest {

  @Test
  void turnsIdsIntoParameters() {
    assertThat(PathTemplate.of("/users/42/orders/5f0c6e1a-51b4-4a53-8a0c-2d4f6b1e9f00").template())
        .isEqualTo("/users/{id}/orders/{id2}");
    assertThat(PathTemplate.of("/blobs/0123456789abcdef0123").template()).isEqualTo("/blobs/{id}");
    assertThat(PathTemplate.of("/t/dGhpcyBpcyBhIHRlc3Qx0").template()).isEqualTo("/t/{id}");
  }

  @Test
  void leavesNamesAndSlugsAlone() {
    assertThat(PathTemplate.of("/api/v2/users").template()).isEqualTo("/api/v2/users");
    assertThat(PathTemplate.of("/blog/release-notes-2024").isTemplated()).isFalse();
    assertThat(PathTemplate.of("/docs/authentication").isTemplated()).isFalse();
  }
}
