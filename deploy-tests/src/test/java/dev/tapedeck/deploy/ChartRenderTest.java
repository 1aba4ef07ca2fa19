package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that hold for the default values and for every documented option (RenderCase): the chart
 * renders, every object parses strictly as a Kubernetes object, and the pods keep the restricted
 * security defaults, the health probes and the Prometheus annotations.
 */
class ChartRenderTest {
  static List<RenderCase> cases() {
    return RenderCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersValidKubernetesObjectsWithUniqueNames(RenderCase option) {
    Rendered rendered = option.render();

    assertThat(rendered.objects()).isNotEmpty();
    Map<String, Long> byKindAndName =
        rendered.objects().stream()
            .collect(Collectors.groupingBy(o -> o.getKind() + "/" + o.getMetadata().getName(), Collectors.counting()));
    assertThat(byKindAndName).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    for (HasMetadata object : rendered.objects()) {
      assertThat(object.getMetadata().getLabels())
          .as(object.getKind() + " " + object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
          .containsEntry("app.kubernetes.io/part-of", "tapedeck");
    }
    assertThat(rendered.podTemplates()).hasSize(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPodMeetsTheRestrictedPodSecurityStandard(RenderCase option) {
    for (String component : Rendered.COMPONENTS) {
      PodSpec pod = option.render().podSpec(component);
      PodSecurityContext podSecurity = pod.getSecurityContext();

      assertThat(podSecurity.getRunAsNonRoot()).as(component + " runAsNonRoot").isTrue();
      assertThat(podSecurity.getRunAsUser()).as(component + " runAsUser").isNotNull().isNotZero();
      assertThat(podSecurity.getSeccompProfile().getType()).as(component + " seccomp").isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(component + " hostNetwork").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as(component + " hostPID").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostIPC()).as(component + " hostIPC").isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getAutomountServiceAccountToken()).as(component + " service account token").isFalse();
      for (Volume volume : pod.getVolumes()) {
        assertThat(volume.getEmptyDir() != null || volume.getSecret() != null || volume.getConfigMap() != null)
            .as(component + " volume " + volume.getName() + " is an emptyDir, Secret or ConfigMap")
            .isTrue();
      }
      for (Container container : containers(pod)) {
        String what = component + "/" + container.getName();
        SecurityContext security = container.getSecurityContext();
        assertThat(security).as(what + " securityContext").isNotNull();
        assertThat(security.getAllowPrivilegeEscalation()).as(what + " allowPrivilegeEscalation").isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).as(what + " readOnlyRootFilesystem").isTrue();
        assertThat(security.getRunAsNonRoot()).as(what + " runAsNonRoot").isTrue();
        assertThat(security.getPrivileged()).as(what + " privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).as(what + " drops").containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).as(what + " adds").isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).as(what + " seccomp").isEqualTo("RuntimeDefault");
        assertThat(container.getPorts()).extracting(ContainerPort::getHostPort).as(what + " hostPort").containsOnlyNulls();
        assertThat(writableMount(pod, container, "/tmp")).as(what + " /tmp on an emptyDir").isTrue();
        assertThat(writableMount(pod, container, "/var/lib/tapedeck")).as(what + " data folder on an emptyDir").isTrue();
        assertThat(container.getResources().getRequests()).as(what + " requests").containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as(what + " limits").containsKey("memory");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyContainerIsProbedOnQuarkusHealth(RenderCase option) {
    for (String component : Rendered.COMPONENTS) {
      Container container = option.render().podSpec(component).getContainers().getFirst();
      assertThat(container.getPorts())
          .as(component + " http port")
          .anySatisfy(
              p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(httpPort(component));
              });
      assertProbe(component + " liveness", container.getLivenessProbe(), "/q/health/live");
      assertProbe(component + " readiness", container.getReadinessProbe(), "/q/health/ready");
      assertProbe(component + " startup", container.getStartupProbe(), "/q/health/started");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPodAnnouncesItsPrometheusEndpoint(RenderCase option) {
    boolean expected = option != RenderCase.AUTH_OFF_NO_ANNOTATIONS;
    for (String component : Rendered.COMPONENTS) {
      Map<String, String> annotations = option.render().podTemplate(component).getMetadata().getAnnotations();
      if (expected) {
        assertThat(annotations)
            .as(component)
            .containsEntry("prometheus.io/scrape", "true")
            .containsEntry("prometheus.io/path", "/q/metrics")
            .containsEntry("prometheus.io/port", String.valueOf(httpPort(component)));
      } else {
        assertThat(annotations).as(component).doesNotContainKeys("prometheus.io/scrape", "prometheus.io/path");
      }
      assertThat(annotations).as(component + " config checksum").containsKey("checksum/config");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sessionServiceHasOneEntryPerPortOfTheWindow(RenderCase option) {
    Rendered rendered = option.render();
    Service sessions = rendered.service("proxy-sessions");
    List<Integer> expected = IntStream.rangeClosed(option.portStart(), option.portEnd()).boxed().toList();

    assertThat(sessions.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(sessions.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(sessions.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactlyElementsOf(expected);
    for (ServicePort port : sessions.getSpec().getPorts()) {
      assertThat(port.getTargetPort().getIntVal()).as("targetPort of " + port.getPort()).isEqualTo(port.getPort());
      assertThat(port.getName()).isEqualTo("session-" + port.getPort());
      assertThat(port.getProtocol()).isEqualTo("TCP");
    }
    assertThat(sessions.getSpec().getSelector())
        .isEqualTo(rendered.deployment("proxy").getSpec().getSelector().getMatchLabels());
    // control leases session ports from the same window the load balancer carries.
    ConfigMap control = rendered.configMap("control");
    assertThat(control.getData())
        .containsEntry("TAPEDECK_PROXY_PORT_MIN", String.valueOf(option.portStart()))
        .containsEntry("TAPEDECK_PROXY_PORT_MAX", String.valueOf(option.portEnd()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyServiceHasAClusterIpServiceOnItsHttpAndGrpcPort(RenderCase option) {
    Rendered rendered = option.render();
    for (String component : Rendered.COMPONENTS) {
      Service service = rendered.service(component);
      assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(service.getSpec().getPorts())
          .filteredOn(p -> p.getName().equals("http"))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPort()).isEqualTo(httpPort(component));
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
              });
      Integer grpc = grpcPort(component);
      if (grpc == null) {
        assertThat(service.getSpec().getPorts()).as(component + " serves no gRPC").hasSize(1);
        assertThat(rendered.podSpec(component).getContainers().getFirst().getPorts())
            .extracting(ContainerPort::getName)
            .containsExactly("http");
      } else {
        assertThat(service.getSpec().getPorts())
            .filteredOn(p -> p.getName().equals("grpc"))
            .singleElement()
            .satisfies(
                p -> {
                  assertThat(p.getPort()).isEqualTo(grpc);
                  assertThat(p.getTargetPort().getStrVal()).isEqualTo("grpc");
                });
        assertThat(rendered.podSpec(component).getContainers().getFirst().getPorts())
            .anySatisfy(p -> {
              assertThat(p.getName()).isEqualTo("grpc");
              assertThat(p.getContainerPort()).isEqualTo(grpc);
            });
        assertThat(rendered.configMap(component).getData())
            .containsEntry("QUARKUS_GRPC_SERVER_PORT", String.valueOf(grpc));
      }
      assertThat(service.getSpec().getSelector())
          .isEqualTo(rendered.deployment(component).getSpec().getSelector().getMatchLabels());
      assertThat(rendered.podTemplate(component).getMetadata().getLabels())
          .containsAllEntriesOf(service.getSpec().getSelector());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void servicesFindEachOtherThroughTheirClusterIpServices(RenderCase option) {
    Rendered rendered = option.render();
    assertThat(rendered.configMap("control").getData())
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_HOST", "tapedeck-storage")
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "5792")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_HOST", "tapedeck-converter")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_PORT", "5793")
        .containsEntry("TAPEDECK_DATA_DIR", "/var/lib/tapedeck");
    assertThat(rendered.configMap("proxy").getData())
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_HOST", "tapedeck-control")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_PORT", "5790")
        .containsEntry("TAPEDECK_PROXY_BIND_HOST", "0.0.0.0");
    assertThat(rendered.configMap("converter").getData())
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_HOST", "tapedeck-storage")
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "5792");
    for (String component : Rendered.COMPONENTS) {
      PodTemplateSpec pod = rendered.podTemplate(component);
      assertThat(pod.getSpec().getContainers().getFirst().getEnvFrom())
          .as(component)
          .anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("tapedeck-" + component));
    }
  }

  static List<Container> containers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    return all;
  }

  static int httpPort(String component) {
    return switch (component) {
      case "control" -> 5770;
      case "proxy" -> 5771;
      case "storage" -> 5772;
      case "converter" -> 5773;
      default -> throw new IllegalArgumentException(component);
    };
  }

  /** The internal gRPC port of a service; null for the proxy, which serves no gRPC. */
  static Integer grpcPort(String component) {
    return switch (component) {
      case "control" -> 5790;
      case "storage" -> 5792;
      case "converter" -> 5793;
      case "proxy" -> null;
      default -> throw new IllegalArgumentException(component);
    };
  }

  private static boolean writableMount(PodSpec pod, Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .map(VolumeMount::getName)
        .map(name -> pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null))
        .filter(Objects::nonNull)
        .anyMatch(v -> v.getEmptyDir() != null);
  }

  private static void assertProbe(String what, Probe probe, String path) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what + " path").isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).as(what + " port").isEqualTo("http");
  }
}
