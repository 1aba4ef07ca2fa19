package dev.tapedeck.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  @Test
  void refusesAToxicThatCannotApplyToItsKindRatherThanIgnoringIt() {
    List<Problem> problems =
        new PolicyValidator()
            .toxics(
                new Toxics(null, null, new ProtocolToxics(100, null, 0.1, 503, null, null), null, null, null), "toxics")
            .problems();
    assertThat(problems).extracting(Problem::field).containsExactly("toxics.websocket.errorStatus");
    assertThat(problems.get(0).message()).contains("1011");
  }

  @Test
  void listsEveryFieldAtFault() {
    List<Problem> problems =
        new PolicyValidator()
            .filters(
                new Filters(List.of("ok.com", "bad[host"), null, null, null, List.of("GE T"), List.of(99, 204)),
                "filters")
            .toxics(
                new Toxics(
                    1L,
                    new ProtocolToxics(-1, null, 1.5, 700, null, null),
                    null,
                    null,
                    null,
                    new ConnectionToxics(2.0, -1L, null, null)),
                "toxics")
            .modifications(
                new Modifications(
                    List.of(new HeaderRule("upsert", "X-A", "1"), new HeaderRule("add", "Bad Name", null)),
                    null,
                    List.of(new UrlRewrite("/api/(v1", "/x"), new UrlRewrite("/a/(.*)", "/b/$2")),
                    List.of(new BodyReplacement("[", "x", true, "everything"))),
                "modifications")
            .dnsMap(Map.of("good.host", "not an address!"), "dnsMap")
            .problems();

    assertThat(problems)
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "filters.includeHosts[1]",
            "filters.includeMethods[0]",
            "filters.excludeStatus[0]",
            "toxics.http.delayMs",
            "toxics.http.errorRate",
            "toxics.http.errorStatus",
            "toxics.connection.resetRate",
            "toxics.connection.closeAfterBytes",
            "modifications.requestHeaders[0].action",
            "modifications.requestHeaders[1].name",
            "modifications.requestHeaders[1].value",
            "modifications.urlRewrites[0].match",
            "modifications.urlRewrites[1].replace",
            "modifications.bodyReplacements[0].match",
            "modifications.bodyReplacements[0].target",
            "dnsMap.good.host");
  }

  @Test
  void acceptsTheReferenceExamples() {
    List<Problem> problems =
        new PolicyValidator()
            .filters(
                new Filters(
                    List.of("api.example.com", "*.internal.corp"),
                    List.of("telemetry.example.com"),
                    List.of("/api/*", "/v2/*"),
                    List.of("/api/healthcheck"),
                    List.of("GET", "POST"),
                    List.of(304, 204)),
                "filters")
            .toxics(new Toxics(42L, new ProtocolToxics(200, 100, 0.05, 503, 50, 10), null, null, null, null), "toxics")
            .modifications(
                new Modifications(
                    List.of(new HeaderRule("add", "X-Debug", "recorder"), new HeaderRule("remove", "X-Internal-ID", null)),
                    List.of(new HeaderRule("add", "X-Recorded", "true")),
                    List.of(new UrlRewrite("/api/v1/(.*)", "/api/v2/$1")),
                    List.of(new BodyReplacement("\"apiKey\":\\s*\"[^\"]+\"", "\"apiKey\": \"REDACTED\"", true, null))),
                "modifications")
            .dnsMap(Map.of("api.example.com", "127.0.0.1"), "dnsMap")
            .chaos(
                new ChaosSettings(
                    true,
                    new ChaosSettings.Latency("50ms", "200ms", 1.0),
                    new ChaosSettings.ErrorRate(0.1, List.of(500, 503), 503)),
                "chaos")
            .problems();
    assertThat(problems).isEmpty();
  }

  @Test
  void networkProfileExpandsIntoToxicsTheSessionMayOverride() {
    NetworkProfile threeG = NetworkPresets.named("3G").orElseThrow();
    Policies p =
        new Policies(
            null,
            new Toxics(null, new ProtocolToxics(10, null, null, null, null, null), null, null, null, null),
            null,
            threeG,
            null,
            null);
    Toxics t = p.effectiveToxics();
    assertThat(t.http().delay()).isEqualTo(10);
    assertThat(t.http().bandwidth()).isEqualTo(200);
    assertThat(t.sse().delay()).isEqualTo(200);
    assertThat(t.connection().reset()).isEqualTo(0.01);
    assertThat(NetworkPresets.named("Wi-Fi")).isPresent();
    assertThat(new Policies(null, null, null, NetworkPresets.named("offline").orElseThrow(), null, null)
            .effectiveToxics().connection().reset())
        .isEqualTo(1.0);
  }

  @Test
  void refusesRegexesRe2CannotRunNamingTheField() {
    List<Problem> problems =
        new PolicyValidator()
            .modifications(
                new Modifications(
                    null,
                    null,
                    List.of(new UrlRewrite("(a)\\1", "x"), new UrlRewrite("(.*a){12}c", "/ok")),
                    List.of(new BodyReplacement("a(?=b)", "x", true, null))),
                "modifications")
            .problems();
    assertThat(problems)
        .extracting(Problem::field)
        .containsExactly("modifications.urlRewrites[0].match", "modifications.bodyReplacements[0].match");
    assertThat(problems.get(0).message()).contains("backreference");
    assertThat(problems.get(1).message()).contains("lookaround");
  }

  @Test
  void refusesPatternsAndReplacementsOverTheCaps() {
    String long1001 = "a".repeat(1001);
    List<Problem> problems =
        new PolicyValidator()
            .modifications(
                new Modifications(
                    null,
                    null,
                    List.of(new UrlRewrite(long1001, "x"), new UrlRewrite("a", "b".repeat(10_001))),
                    List.of(new BodyReplacement(long1001, "x", false, null))),
                "modifications")
            .filters(new Filters(null, null, List.of("/" + long1001), null, null, null), "filters")
            .transport(new Transport(new Mitm(true, List.of("*." + long1001)), null, null, null))
            .problems();
    assertThat(problems)
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "modifications.urlRewrites[0].match",
            "modifications.urlRewrites[1].replace",
            "modifications.bodyReplacements[0].match",
            "filters.includePaths[0]",
            "mitm.passthroughHosts[0]");
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("at most"));
  }

  @Test
  void refusesMoreRulesThanTheListCap() {
    List<UrlRewrite> rules = java.util.Collections.nCopies(PolicyValidator.MAX_LIST + 1, new UrlRewrite("a", "b"));
    assertThat(new PolicyValidator().modifications(new Modifications(null, null, rules, null), "m").problems())
        .extracting(Problem::field)
        .containsExactly("m.urlRewrites");
  }
}
