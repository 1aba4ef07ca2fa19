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

  @Test
  void aCatastrophicGlobMatchesInLinearTime() {
    String text = "/" + "a".repeat(20_000) + "c";
    long start = System.nanoTime();
    boolean matched = matches("*a*a*a*a*a*a*a*a*a*a*a*a*b", text);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(matched).isFalse();
    assertThat(millis).isLessThan(1_000);
  }

  @Test
  void refusesGlobsOverTheLengthCap() {
    assertThatThrownBy(() -> Glob.compile("a".repeat(UserPatterns.MAX_CHARS + 1), true))
        .hasMessageContaining("at most 1000");
    assertThat(matches("a".repeat(UserPatterns.MAX_CHARS), "a".repeat(UserPatterns.MAX_CHARS))).isTrue();
  }

  @Test
  void keepsPunctuationLiteralInEverySyntax() {
    String glob = "/a.b+c(d)|e$^{x,y}[.-]\\\\*";
    assertThat(matches(glob, "/a.b+c(d)|e$^y-\\anything")).isTrue();
    assertThat(matches(glob, "/aXb+c(d)|e$^y-\\")).isFalse();
    // The same source reads alike in java.util.regex (and PCRE), which MongoDB's $regex gets.
    assertThat(java.util.regex.Pattern.matches(Glob.regex(glob), "/a.b+c(d)|e$^x.\\z")).isTrue();
    assertThat(Glob.stars("**a\\**b*")).isEqualTo(3);
  }
}
