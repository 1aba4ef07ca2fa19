package dev.tapedeck.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

class UserPatternsTest {

  @Test
  void theCatastrophicRegexRunsInLinearTime() {
    Pattern p = UserPatterns.regex("(.*a){12}c");
    String uri = "/" + "a".repeat(16_000) + "b";
    long start = System.nanoTime();
    assertThat(p.matcher(uri).find()).isFalse();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void refusesBackreferencesLookaroundAtomicGroupsAndPossessives() {
    assertThatThrownBy(() -> UserPatterns.regex("(a)\\1")).hasMessageContaining("backreference");
    assertThatThrownBy(() -> UserPatterns.regex("(?<x>a)\\k<x>")).hasMessageContaining("backreference");
    assertThatThrownBy(() -> UserPatterns.regex("a(?=b)")).hasMessageContaining("lookaround");
    assertThatThrownBy(() -> UserPatterns.regex("(?<!a)b")).hasMessageContaining("lookaround");
    assertThatThrownBy(() -> UserPatterns.regex("(?>a+)b")).hasMessageContaining("atomic");
    assertThatThrownBy(() -> UserPatterns.regex("a*+b")).hasMessageContaining("possessive");
    assertThatThrownBy(() -> UserPatterns.regex("/api/(v1")).hasMessageContaining("not a valid RE2 regex");
  }

  @Test
  void refusesPatternsOverTheLengthAndProgramCaps() {
    assertThatThrownBy(() -> UserPatterns.regex("a".repeat(1001))).hasMessageContaining("at most 1000");
    assertThatThrownBy(() -> UserPatterns.regex("((a{100}){100})")).hasMessageContaining("too complex");
    assertThat(UserPatterns.regex("a".repeat(1000)).programSize()).isLessThanOrEqualTo(UserPatterns.MAX_PROGRAM);
  }

  @Test
  void keepsNamedGroupsAndReplacementReferences() {
    Pattern p = UserPatterns.regex("/api/(?<version>v\\d+)/(.*)");
    assertThat(p.matcher("/api/v1/users").replaceAll("/${version}/x/$2")).isEqualTo("/v1/x/users");
    assertThat(UserPatterns.regex("(?P<n>a)").namedGroups()).containsKey("n");
  }
}
