package dev.tapedeck.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {
  private static boolean matches(String glob, String text) {
    return Glob.compile(glob, true).matcher(text).matches();
  }

  @Test
  void matchesTheMockartyExamples() {
    assertThat(matches("*.example.com", "api.example.com")).isTrue();
    assertThat(matches("*.example.com", "auth.example.com")).isTrue();
    assertThat(matches("*.example.com", "example.com")).isFalse();
    assertThat(matches("/api/v1/*", "/api/v1/users")).isTrue();
    assertThat(matches("/api/v1/*", "/api/v1/users/42")).isTrue();
    assertThat(matches("/api/*/details", "/api/users/details")).isTrue();
    assertThat(matches("/api/*/details", "/api/users/list")).isFalse();
  }

  @Test
  void supportsClassesAlternativesAndEscapes() {
    assertThat(matches("/v[12]/x", "/v2/x")).isTrue();
    assertThat(matches("/v[!12]/x", "/v2/x")).isFalse();
    assertThat(matches("/{a,b}.json", "/b.json")).isTrue();
    assertThat(matches("/a\\*b", "/a*b")).isTrue();
    assertThat(matches("/a\\*b", "/axb")).isFalse();
    assertThat(matches("/file?.txt", "/file1.txt")).isTrue();
    assertThat(matches("API.Example.COM", "api.example.com")).isTrue();
  }

  @Test
  void refusesMalformedGlobs() {
    assertThatThrownBy(() -> Glob.compile("/a[bc", true)).hasMessageContaining("unclosed [");
    assertThatThrownBy(() -> Glob.compile("/{a,b", true)).hasMessageContaining("unclosed {");
    assertThatThrownBy(() -> Glob.compile("x\\", true)).hasMessageContaining("escaping");
    assertThatThrownBy(() -> Glob.compile("", true)).hasMessageContaining("empty");
  }
}
