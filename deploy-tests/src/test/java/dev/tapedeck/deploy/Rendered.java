package dev.tapedeck.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;

/** The objects of one render, found by kind and name. */
record Rendered(String yaml, List<HasMetadata> objects) {
  /** The four services, by their component label. */
  static final List<String> COMPONENTS = List.of("control", "proxy", "storage", "converter");

  static Rendered of(String yaml) {
    return new Rendered(yaml, StrictKubernetes.parseAll(yaml));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " " + name + " in the render"));
  }

  Deployment deployment(String component) {
    return get(Deployment.class, Chart.RELEASE + "-" + component);
  }

  PodSpec podSpec(String component) {
    return deployment(component).getSpec().getTemplate().getSpec();
  }

  PodTemplateSpec podTemplate(String component) {
    return deployment(component).getSpec().getTemplate();
  }

  ConfigMap configMap(String component) {
    return get(ConfigMap.class, Chart.RELEASE + "-" + component);
  }

  Service service(String name) {
    return get(Service.class, Chart.RELEASE + "-" + name);
  }

  Optional<Secret> secret() {
    return find(Secret.class, Chart.RELEASE);
  }

  /** Every pod template in the render (Deployments are the only workloads). */
  List<PodTemplateSpec> podTemplates() {
    return all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()).toList();
  }
}
