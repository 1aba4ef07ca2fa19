package dev.tapedeck.control.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.session.StartRequest;
import dev.tapedeck.policy.BodyReplacement;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.UrlRewrite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyChecksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static StartRequest withProfile(String json) throws Exception {
    return new StartRequest(null, null, "http://x", null, null, null, null, null, null, null, JSON.readTree(json), null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void expandsAPresetNameAndAcceptsACustomProfile() throws Exception {
    List<FieldError> errors = new ArrayList<>();
    Policies preset = PolicyChecks.sessionPolicies(withProfile("\"3G\""), errors);
    Policies custom = PolicyChecks.sessionPolicies(withProfile("{\"latencyMs\":300,\"loss\":0.1}"), errors);
    assertThat(errors).isEmpty();
    assertThat(preset.networkProfile().name()).isEqualTo("3g");
    assertThat(preset.effectiveToxics().http().delay()).isEqualTo(200);
    assertThat(custom.effectiveToxics().http().delay()).isEqualTo(300);
    assertThat(custom.effectiveToxics().connection().reset()).isEqualTo(0.1);
  }

  @Test
  void refusesUnknownPresetsAndProfileFields() throws Exception {
    List<FieldError> errors = new ArrayList<>();
    PolicyChecks.sessionPolicies(withProfile("\"5g\""), errors);
    PolicyChecks.sessionPolicies(withProfile("{\"latency\":300}"), errors);
    PolicyChecks.sessionPolicies(withProfile("{\"loss\":2}"), errors);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("networkProfile", "networkProfile.latency", "networkProfile.loss");
  }

  @Test
  void aLiveUpdateListsEveryRuleAtFault() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () ->
                PolicyChecks.modifications(
                    new Modifications(
                        List.of(new HeaderRule("set", "X-A", "1"), new HeaderRule("add", "X-B", null)), null, null, null)));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.fields())
        .extracting(FieldError::field)
        .containsExactly("modifications.requestHeaders[0].action", "modifications.requestHeaders[1].value");
  }

  @Test
  void aBackreferenceOrAnOverlongPatternIsA400NamingTheField() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () ->
                PolicyChecks.modifications(
                    new Modifications(
                        null,
                        null,
                        List.of(new UrlRewrite("/(a)\\1", "/x"), new UrlRewrite("a".repeat(1001), "/x")),
                        List.of(new BodyReplacement("(?<=token=)\\w+", "x", true, null)))));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.fields())
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "modifications.urlRewrites[0].match",
                "uses a backreference (\\1, \\k<name>), which RE2 syntax does not support"),
            org.assertj.core.groups.Tuple.tuple(
                "modifications.urlRewrites[1].match", "has 1001 characters, at most 1000 are allowed"),
            org.assertj.core.groups.Tuple.tuple(
                "modifications.bodyReplacements[0].match",
                "uses lookaround ((?=, (?!, (?<=, (?<!), which RE2 syntax does not support"));
  }

  private static List<String> fieldsOf(Runnable check) {
    ApiException e = catchThrowableOfType(ApiException.class, check::run);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e.fields().stream().map(FieldError::field).toList();
  }

  @Test
  void aLiveUpdateWithoutItsKeyIsRefusedNamingIt() {
    assertThat(fieldsOf(() -> PolicyChecks.filters(null))).containsExactly("filters");
    assertThat(fieldsOf(() -> PolicyChecks.toxics(null))).containsExactly("toxics");
    assertThat(fieldsOf(() -> PolicyChecks.networkProfile(null))).containsExactly("networkProfile");
    assertThat(fieldsOf(() -> PolicyChecks.record(null))).containsExactly("record");
  }

  @Test
  void liveFiltersAndToxicsListEveryFieldAsAStartDoes() throws Exception {
    dev.tapedeck.policy.Filters filters =
        JSON.readValue("{\"includePaths\":[\"/api/[v1\"],\"excludeStatus\":[999]}", dev.tapedeck.policy.Filters.class);
    assertThat(fieldsOf(() -> PolicyChecks.filters(filters)))
        .containsExactlyInAnyOrder("filters.includePaths[0]", "filters.excludeStatus[0]");
    dev.tapedeck.policy.Toxics toxics =
        JSON.readValue("{\"delayMs\":-1,\"errorRate\":1.5}", dev.tapedeck.policy.Toxics.class);
    assertThat(fieldsOf(() -> PolicyChecks.toxics(toxics)))
        .containsExactlyInAnyOrder("toxics.http.delayMs", "toxics.http.errorRate");
  }

  @Test
  void aLiveNetworkProfileIsAPresetAnObjectOrNullForNone() throws Exception {
    assertThat(PolicyChecks.networkProfile(JSON.readTree("\"4g\"")).name()).isEqualTo("4g");
    assertThat(PolicyChecks.networkProfile(JSON.readTree("{\"latencyMs\":20}")).latencyMs()).isEqualTo(20);
    assertThat(PolicyChecks.networkProfile(JSON.readTree("null"))).isNull();
    assertThat(fieldsOf(() -> {
          try {
            PolicyChecks.networkProfile(JSON.readTree("{\"latencyMs\":-1,\"loss\":3}"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }))
        .containsExactlyInAnyOrder("networkProfile.latencyMs", "networkProfile.loss");
  }
}
