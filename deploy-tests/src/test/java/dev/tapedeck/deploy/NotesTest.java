package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What `helm install` prints: how to reach the API and the proxy, and where the admin key is. */
class NotesTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.tapedeck.deploy.RenderCase#all")
  void notesRenderForEachDocumentedOption(RenderCase option) {
    String notes = Chart.staged().notes(option.values());

    assertThat(notes)
        .contains("admin-api-key")
        .contains("/api/v1/recorder/")
        .contains("tapedeck-proxy-sessions")
        .contains("ports " + option.portStart() + "-" + option.portEnd());
  }

  @Test
  void defaultNotesGiveTheCommandsToReadTheKeyAndReachTheApiAndTheProxy() {
    String notes = Chart.staged().notes("");

    assertThat(notes)
        .contains("kubectl get secret --namespace tapedeck tapedeck -o jsonpath='{.data.admin-api-key}' | base64 -d")
        .contains("kubectl port-forward --namespace tapedeck svc/tapedeck-control 5770:5770")
        .contains("kubectl get svc --namespace tapedeck tapedeck-proxy-sessions");
  }

  @Test
  void notesFollowTheOptions() {
    assertThat(Chart.staged().notes(RenderCase.INGRESS.values())).contains("API=https://tapedeck.example.com");
    assertThat(Chart.staged().notes(RenderCase.EXISTING_SECRET.values()))
        .contains("your Secret my-tapedeck-secrets")
        .contains("get secret --namespace tapedeck my-tapedeck-secrets");
    assertThat(Chart.staged().notes(RenderCase.AUTH_OFF_NO_ANNOTATIONS.values())).contains("API keys are switched off");
  }
}
