package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The render tests are only as good as the parser is strict: it must refuse what Kubernetes would. */
class StrictKubernetesTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec:
            containers:
              - name: c
                image: i
                securityContext: {%s: true}
      """;

  @Test
  void parsesAKnownObjectIntoItsModelClass() {
    assertThat(StrictKubernetes.parseAll(DEPLOYMENT.formatted("readOnlyRootFilesystem")))
        .singleElement()
        .isInstanceOf(Deployment.class);
  }

  @Test
  void refusesAMisspeltField() {
    assertThatThrownBy(() -> StrictKubernetes.parseAll(DEPLOYMENT.formatted("readOnlyRootFileSystem")))
        .hasMessageContaining("readOnlyRootFileSystem");
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> StrictKubernetes.parseAll(DEPLOYMENT.formatted("readOnlyRootFilesystem").replace("selector:", "replicas: two\n  selector:")))
        .hasMessageContaining("replicas");
  }

  @Test
  void refusesAKindNoModelKnows() {
    assertThatThrownBy(() -> StrictKubernetes.parseAll("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n"))
        .hasMessageContaining("Gadget");
  }

  @Test
  void refusesAFieldGivenTwice() {
    assertThatThrownBy(() -> StrictKubernetes.parseAll("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {A: x}\ndata: {B: y}\n"))
        .hasMessageContaining("data");
  }
}
