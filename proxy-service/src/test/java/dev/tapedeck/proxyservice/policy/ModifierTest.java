package dev.tapedeck.proxyservice.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.policy.BodyReplacement;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.UrlRewrite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user pattern sites of the proxy: URL rewrites, body replacements and scope filters. */
class ModifierTest {
  private static final String CATASTROPHIC = "(.*a){12}c";

  private static long millisOf(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void theCatastrophicUrlRewriteRunsInLinearTime() {
    Modifier m = new Modifier(new Modifications(null, null, List.of(new UrlRewrite(CATASTROPHIC, "/x")), null));
    String uri = "/" + "a".repeat(40) + "b";
    assertThat(millisOf(() -> assertThat(m.rewriteUri(uri)).isEqualTo(uri))).isLessThan(200);
  }

  @Test
  void urlRewritesStopAtTheirTimeBudgetAndLeaveTheUriUnchanged() {
    // 100 rules over a 16 KiB URI: more work than the budget allows, so the URI goes unchanged.
    List<UrlRewrite> rules = java.util.Collections.nCopies(100, new UrlRewrite("(?:[a-z]+[0-9]*){1,20}c", "x"));
    Modifier m = new Modifier(new Modifications(null, null, rules, null));
    String uri = "/" + "a".repeat(16 * 1024);
    long before = Modifier.uriBudgetSpent();
    m.rewriteUri(uri); // once to load the classes the first skip uses (the meter registry)
    long millis = millisOf(() -> assertThat(m.rewriteUri(uri)).isEqualTo(uri));
    assertThat(millis).isLessThan(Modifier.URI_BUDGET.toMillis() + 150);
    assertThat(Modifier.uriBudgetSpent()).isGreaterThan(before);
  }

  @Test
  void urlRewritesKeepJavaStyleGroupReferences() {
    Modifier m =
        new Modifier(
            new Modifications(
                null, null, List.of(new UrlRewrite("^/api/v1/(?<rest>.*)", "/api/v2/${rest}?was=$1")), null));
    assertThat(m.rewriteUri("/api/v1/users")).isEqualTo("/api/v2/users?was=users");
  }

  @Test
  void bodyReplacementsStopAtTheDeadline() {
    Modifier m =
        new Modifier(new Modifications(null, null, null, List.of(new BodyReplacement(CATASTROPHIC, "x", true, null))));
    String body = "a".repeat(4 << 20);
    long millis =
        millisOf(
            () ->
                assertThatThrownBy(() -> m.replaceBody(body, false, System.nanoTime() + 100_000_000L))
                    .isInstanceOf(TimeBoxedText.Expired.class));
    assertThat(millis).isLessThan(600);
    assertThat(m.replaceBody("xxac yy", false, System.nanoTime() + 1_000_000_000L)).isEqualTo("xxac yy");
  }

  @Test
  void scopeFilterGlobsMatchLongPathsInLinearTime() {
    ScopeFilter f = new ScopeFilter(new Filters(null, null, List.of("*a*a*a*a*a*a*a*a*a*a*a*a*b"), null, null, null));
    String path = "/" + "a".repeat(16 * 1024);
    assertThat(millisOf(() -> assertThat(f.recordsRequest("h", 80, path, "GET")).isFalse())).isLessThan(500);
    assertThat(f.recordsRequest("h", 80, "/ab", "GET")).isFalse();
    assertThat(f.recordsRequest("h", 80, "/aaaaaaaaaaaab", "GET")).isTrue();
  }
}
