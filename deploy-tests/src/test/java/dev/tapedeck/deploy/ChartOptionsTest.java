package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What each documented option changes in the render (docs/deploy.md). */
class ChartOptionsTest {

  @Test
  void defaultsScaleTheProxyWithAnHpaAndKeepOnePodThroughDisruptions() {
    Rendered rendered = RenderCase.DEFAULTS.render();

    HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, "tapedeck-proxy");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tapedeck-proxy");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(rendered.deployment("proxy").getSpec().getReplicas()).as("replicas left to the HPA").isNull();
    PodDisruptionBudget pdb = rendered.get(PodDisruptionBudget.class, "tapedeck-proxy");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(rendered.deployment("proxy").getSpec().getSelector().getMatchLabels());
    assertThat(rendered.deployment("control").getSpec().getReplicas()).isEqualTo(1);
    assertThat(rendered.deployment("control").getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(rendered.all(Ingress.class)).isEmpty();
    assertThat(rendered.all(ServiceMonitor.class)).isEmpty();
  }

  @Test
  void defaultsGenerateAnAdminKeyAndPointAtKafkaAndMongodbServicesOfTheNamespace() {
    Rendered rendered = RenderCase.DEFAULTS.render();

    Secret secret = rendered.secret().orElseThrow();
    assertThat(decode(secret, "admin-api-key")).matches("tdk_[a-z0-9]{48}");
    assertThat(decode(secret, "mongodb-connection-string")).isEqualTo("mongodb://mongodb:27017");
    for (String component : new String[] {"control", "proxy", "storage"}) {
      assertThat(rendered.configMap(component).getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    }
    assertThat(rendered.configMap("control").getData()).containsEntry("TAPEDECK_AUTH_ENABLED", "true");
    ServiceAccount account = rendered.get(ServiceAccount.class, "tapedeck");
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void eachRenderGeneratesADifferentKeyUnlessOneIsGiven() {
    String first = decode(Rendered.of(Chart.staged().render("")).secret().orElseThrow(), "admin-api-key");
    String second = decode(Rendered.of(Chart.staged().render("")).secret().orElseThrow(), "admin-api-key");
    String given =
        decode(Rendered.of(Chart.staged().render("auth:\n  adminKey: tdk_mine\n")).secret().orElseThrow(), "admin-api-key");

    assertThat(first).isNotEqualTo(second);
    assertThat(given).isEqualTo("tdk_mine");
  }

  @Test
  void adminKeyIsMountedAsTheFileControlReadsAndOnlyIntoControl() {
    Rendered rendered = RenderCase.DEFAULTS.render();
    Container control = rendered.podSpec("control").getContainers().getFirst();

    assertThat(control.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/lib/tapedeck/admin-api-key");
              assertThat(m.getSubPath()).isEqualTo("admin-api-key");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(secretsReadBy(rendered, "control"))
        .containsExactlyInAnyOrder(
            "tapedeck/admin-api-key",
            "tapedeck/mongodb-connection-string",
            "tapedeck/internal-token",
            "tapedeck/secrets-key");
    assertThat(secretsReadBy(rendered, "storage"))
        .containsExactlyInAnyOrder("tapedeck/mongodb-connection-string", "tapedeck/internal-token");
    assertThat(secretsReadBy(rendered, "proxy")).containsExactly("tapedeck/internal-token");
    assertThat(secretsReadBy(rendered, "converter")).containsExactly("tapedeck/internal-token");
  }

  @Test
  void everyServiceReadsTheInternalTokenAndCannotStartWithoutIt() {
    Rendered rendered = RenderCase.DEFAULTS.render();

    assertThat(decode(rendered.secret().orElseThrow(), "internal-token")).matches("[A-Za-z0-9]{48}");
    for (String component : Rendered.COMPONENTS) {
      EnvVar token = env(rendered.podSpec(component)).get("TAPEDECK_INTERNAL_TOKEN");
      assertThat(token).as(component + " TAPEDECK_INTERNAL_TOKEN").isNotNull();
      assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("internal-token");
      assertThat(token.getValueFrom().getSecretKeyRef().getOptional())
          .as(component + ": a missing token must stop the pod, not switch the check off")
          .isNotEqualTo(Boolean.TRUE);
      assertThat(rendered.configMap(component).getData()).doesNotContainKey("TAPEDECK_INTERNAL_AUTH_ENABLED");
    }
  }

  @Test
  void caPrivateKeyIsReadableByControlOnly() {
    Rendered rendered = RenderCase.CA.render();

    assertThat(secretsReadBy(rendered, "control")).contains("tapedeck-ca/*");
    assertThat(secretsReadBy(rendered, "proxy")).containsExactly("tapedeck/internal-token");
    assertThat(secretsReadBy(rendered, "storage")).doesNotContain("tapedeck-ca/*");
    assertThat(secretsReadBy(rendered, "converter")).containsExactly("tapedeck/internal-token");
    assertThat(rendered.podSpec("control").getContainers().getFirst().getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/tapedeck/ca");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(rendered.configMap("control").getData())
        .containsEntry("TAPEDECK_CA_KEY_FILE", "/etc/tapedeck/ca/tls.key");
    Volume ca = rendered.podSpec("control").getVolumes().stream().filter(v -> v.getName().equals("ca")).findFirst().orElseThrow();
    assertThat(ca.getSecret().getDefaultMode()).isEqualTo(0440);
    for (String component : new String[] {"proxy", "storage", "converter"}) {
      assertThat(rendered.podSpec(component).getVolumes()).as(component + " volumes").noneMatch(v -> v.getName().equals("ca"));
      assertThat(rendered.podSpec(component).getContainers().getFirst().getVolumeMounts())
          .as(component + " mounts")
          .noneMatch(m -> m.getMountPath().startsWith("/etc/tapedeck/ca"));
      assertThat(rendered.configMap(component).getData()).as(component).doesNotContainKeys("TAPEDECK_CA_KEY_FILE", "TAPEDECK_CA_CERT_FILE");
    }
  }

  @Test
  void ingressRoutesToTheControlApi() {
    Ingress ingress = RenderCase.INGRESS.render().get(Ingress.class, "tapedeck-control");

    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getHost()).isEqualTo("tapedeck.example.com");
      assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
        assertThat(path.getPath()).isEqualTo("/");
        assertThat(path.getBackend().getService().getName()).isEqualTo("tapedeck-control");
        assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
      });
    });
    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("tapedeck-tls"));
  }

  @Test
  void serviceMonitorScrapesQuarkusMetricsOfTheFourServices() {
    ServiceMonitor monitor = RenderCase.SERVICE_MONITOR.render().get(ServiceMonitor.class, "tapedeck");

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
      assertThat(e.getPort()).isEqualTo("http");
      assertThat(e.getPath()).isEqualTo("/q/metrics");
    });
    assertThat(monitor.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "tapedeck");
    assertThat(monitor.getSpec().getSelector().getMatchExpressions()).singleElement()
        .satisfies(e -> assertThat(e.getValues()).containsExactlyInAnyOrder("control", "proxy", "storage", "converter"));
  }

  @Test
  void existingSecretReplacesTheChartsSecret() {
    Rendered rendered = RenderCase.EXISTING_SECRET.render();

    assertThat(rendered.all(Secret.class)).isEmpty();
    assertThat(secretsReadBy(rendered, "control"))
        .containsExactlyInAnyOrder(
            "my-tapedeck-secrets/admin-api-key",
            "my-tapedeck-secrets/mongodb-connection-string",
            "my-tapedeck-secrets/internal-token",
            "my-tapedeck-secrets/secrets-key");
    assertThat(secretsReadBy(rendered, "storage"))
        .containsExactlyInAnyOrder("my-tapedeck-secrets/mongodb-connection-string", "my-tapedeck-secrets/internal-token");
    assertThat(secretsReadBy(rendered, "proxy")).containsExactly("my-tapedeck-secrets/internal-token");
    assertThat(secretsReadBy(rendered, "converter")).containsExactly("my-tapedeck-secrets/internal-token");
  }

  @Test
  void networkPoliciesAdmitOnlyWhatEachServiceServes() {
    Rendered rendered = RenderCase.DEFAULTS.render();

    assertThat(rendered.all(NetworkPolicy.class)).hasSize(5);
    NetworkPolicy proxy = rendered.get(NetworkPolicy.class, "tapedeck-proxy");
    NetworkPolicyPort window = proxy.getSpec().getIngress().getFirst().getPorts().getFirst();
    assertThat(window.getPort().getIntVal()).isEqualTo(8081);
    assertThat(window.getEndPort()).isEqualTo(8090);
    assertThat(proxy.getSpec().getIngress().getFirst().getFrom()).as("session ports open to all").isNullOrEmpty();
    NetworkPolicy storage = rendered.get(NetworkPolicy.class, "tapedeck-storage");
    assertThat(storage.getSpec().getIngress().get(1).getFrom().getFirst().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "prometheus");
    assertThat(storage.getSpec().getIngress().get(1).getPorts()).extracting(p -> p.getPort().getStrVal()).containsExactly("http");
    for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
      if (!policy.getMetadata().getName().equals("tapedeck-proxy-egress")) {
        // Proxy egress has its own policy (ProxyEgressNetworkPolicyTest); the others only admit.
        assertThat(policy.getSpec().getPolicyTypes()).as("ingress only").containsExactly("Ingress");
      }
    }
  }

  @Test
  void internalGrpcPortsAdmitOnlyTheirCallers() {
    Rendered rendered = RenderCase.DEFAULTS.render();

    assertThat(grpcCallers(rendered, "control")).containsExactly("proxy");
    assertThat(grpcCallers(rendered, "storage")).containsExactlyInAnyOrder("control", "converter");
    assertThat(grpcCallers(rendered, "converter")).containsExactly("control");
    assertThat(grpcCallers(rendered, "proxy")).as("the proxy serves no gRPC").isEmpty();
    // Every rule naming the grpc port names its callers: none opens it to all.
    for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
      policy.getSpec().getIngress().stream()
          .filter(rule -> rule.getPorts().stream().anyMatch(p -> "grpc".equals(p.getPort().getStrVal())))
          .forEach(
              rule -> {
                assertThat(rule.getFrom()).as(policy.getMetadata().getName() + " grpc from").isNotEmpty();
                assertThat(rule.getFrom()).allSatisfy(peer -> {
                  assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
                  assertThat(peer.getIpBlock()).as("no address block").isNull();
                  assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
                });
                assertThat(rule.getPorts()).as("grpc alone").extracting(p -> p.getPort().getStrVal()).containsExactly("grpc");
              });
    }
    // The public API port stays open to all on control; the other HTTP ports only to the scrapers.
    NetworkPolicy control = rendered.get(NetworkPolicy.class, "tapedeck-control");
    assertThat(control.getSpec().getIngress())
        .anySatisfy(rule -> {
          assertThat(rule.getFrom()).isNullOrEmpty();
          assertThat(rule.getPorts()).extracting(p -> p.getPort().getStrVal()).containsExactly("http");
        });
    for (String component : new String[] {"storage", "converter"}) {
      assertThat(rendered.get(NetworkPolicy.class, "tapedeck-" + component).getSpec().getIngress())
          .as(component)
          .allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty());
    }
  }

  /** The component labels of the pods the NetworkPolicy of {@code component} admits to its grpc port. */
  private static Set<String> grpcCallers(Rendered rendered, String component) {
    Set<String> callers = new TreeSet<>();
    for (var rule : rendered.get(NetworkPolicy.class, "tapedeck-" + component).getSpec().getIngress()) {
      if (rule.getPorts().stream().anyMatch(p -> "grpc".equals(p.getPort().getStrVal()))) {
        rule.getFrom().forEach(peer -> callers.add(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")));
      }
    }
    return callers;
  }

  @Test
  void networkPoliciesCanBeSwitchedOff() {
    assertThat(RenderCase.NETWORK_POLICY_OFF.render().all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void customPortWindowReachesTheNetworkPolicy() {
    NetworkPolicyPort window =
        RenderCase.PORT_WINDOW.render().get(NetworkPolicy.class, "tapedeck-proxy").getSpec().getIngress().getFirst().getPorts().getFirst();

    assertThat(window.getPort().getIntVal()).isEqualTo(9000);
    assertThat(window.getEndPort()).isEqualTo(9049);
  }

  @Test
  void externalKafkaAndMongodbReachEveryServiceThatUsesThem() {
    Rendered rendered = RenderCase.EXTERNAL_STORES.render();

    for (String component : new String[] {"control", "proxy", "storage"}) {
      assertThat(rendered.configMap(component).getData())
          .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "broker-0.kafka.svc:9092,broker-1.kafka.svc:9092");
    }
    assertThat(rendered.configMap("converter").getData()).doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(decode(rendered.secret().orElseThrow(), "mongodb-connection-string"))
        .isEqualTo("mongodb://tapedeck:s3cret@mongo-0.mongo.svc:27017/?replicaSet=rs0");
    assertThat(rendered.configMap("storage").getData()).containsEntry("QUARKUS_MONGODB_DATABASE", "recordings");
    assertThat(rendered.configMap("control").getData()).containsEntry("QUARKUS_MONGODB_DATABASE", "recordings");
    assertThat(rendered.yaml()).as("credentials stay out of ConfigMaps").doesNotContain("s3cret");
  }

  @Test
  void bundledKafkaAndMongodbAreUsedThroughTheirServicesAndSecret() {
    Rendered rendered = RenderCase.BUNDLED_STORES.render();

    assertThat(rendered.configMap("storage").getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "tapedeck-kafka:9092");
    for (String component : new String[] {"control", "storage"}) {
      Map<String, EnvVar> env = env(rendered.podSpec(component));
      assertThat(env.get("QUARKUS_MONGODB_CONNECTION_STRING").getValue()).isEqualTo("mongodb://tapedeck-mongodb:27017");
      assertThat(env.get("QUARKUS_MONGODB_CREDENTIALS_USERNAME").getValue()).isEqualTo("root");
      assertThat(env.get("QUARKUS_MONGODB_CREDENTIALS_PASSWORD").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("tapedeck-mongodb");
    }
  }

  @Test
  void extraEnvAddsSettingsButCannotOverrideTheChartsOwn() {
    Rendered rendered =
        Rendered.of(Chart.staged().render("control:\n  env:\n    TAPEDECK_SESSIONS_TTL: 8h\nstorage:\n  env:\n    TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION: 5000\n"));

    assertThat(rendered.configMap("control").getData()).containsEntry("TAPEDECK_SESSIONS_TTL", "8h");
    assertThat(rendered.configMap("storage").getData()).containsEntry("TAPEDECK_STORAGE_MAX_ENTRIES_PER_SESSION", "5000");
    assertThatThrownBy(() -> Chart.staged().render("control:\n  env:\n    TAPEDECK_PROXY_PORT_MIN: 9000\n"))
        .hasMessageContaining("control.env.TAPEDECK_PROXY_PORT_MIN: the chart sets TAPEDECK_PROXY_PORT_MIN itself");
  }

  @Test
  void bundledMongodbLeavesTheConnectionStringOutOfTheSecret() {
    assertThat(RenderCase.BUNDLED_STORES.render().secret().orElseThrow().getData())
        .containsOnlyKeys("admin-api-key", "internal-token", "secrets-key");
  }

  @Test
  void autoscalingOffFixesTheProxyReplicas() {
    Rendered rendered = RenderCase.AUTOSCALING_OFF.render();

    assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(rendered.deployment("proxy").getSpec().getReplicas()).isEqualTo(3);
    assertThat(rendered.all(PodDisruptionBudget.class)).hasSize(1);
  }

  @Test
  void authCanBeSwitchedOff() {
    assertThat(RenderCase.AUTH_OFF_NO_ANNOTATIONS.render().configMap("control").getData())
        .containsEntry("TAPEDECK_AUTH_ENABLED", "false");
  }

  @Test
  void proxyPodsAreNamedInTheirEntriesAndDrainBeforeStopping() {
    PodSpec proxy = RenderCase.DEFAULTS.render().podSpec("proxy");
    Container container = proxy.getContainers().getFirst();

    assertThat(env(proxy).get("TAPEDECK_PROXY_ID").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
  }

  /** "secret/key" for every Secret key a service's pod can read; "secret/*" for a whole Secret. */
  static Set<String> secretsReadBy(Rendered rendered, String component) {
    PodSpec pod = rendered.podSpec(component);
    Set<String> read = new TreeSet<>();
    for (Volume volume : pod.getVolumes()) {
      if (volume.getSecret() != null) {
        if (volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty()) {
          read.add(volume.getSecret().getSecretName() + "/*");
        } else {
          volume.getSecret().getItems().forEach(i -> read.add(volume.getSecret().getSecretName() + "/" + i.getKey()));
        }
      }
    }
    for (Container container : ChartRenderTest.containers(pod)) {
      if (container.getEnv() != null) {
        for (EnvVar env : container.getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            read.add(env.getValueFrom().getSecretKeyRef().getName() + "/" + env.getValueFrom().getSecretKeyRef().getKey());
          }
        }
      }
      if (container.getEnvFrom() != null) {
        container.getEnvFrom().stream()
            .filter(e -> e.getSecretRef() != null)
            .forEach(e -> read.add(e.getSecretRef().getName() + "/*"));
      }
    }
    return read;
  }

  private static Map<String, EnvVar> env(PodSpec pod) {
    return pod.getContainers().getFirst().getEnv().stream()
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void theProxySpoolIsBoundedBelowItsVolume() {
    Rendered rendered = RenderCase.DEFAULTS.render();
    long maxBytes = Long.parseLong(rendered.configMap("proxy").getData().get("TAPEDECK_CAPTURE_SPOOL_MAX_BYTES"));
    assertThat(rendered.configMap("proxy").getData()).containsEntry("TAPEDECK_CAPTURE_SPOOL_DIR", "/var/lib/tapedeck/spool");
    io.fabric8.kubernetes.api.model.Volume spool =
        rendered.deployment("proxy").getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("spool"))
            .findFirst()
            .orElseThrow();
    long volumeBytes =
        io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(spool.getEmptyDir().getSizeLimit()).longValueExact();
    assertThat(maxBytes).isLessThan(volumeBytes);
    assertThat(rendered.deployment("proxy").getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getName().equals("spool") && m.getMountPath().equals("/var/lib/tapedeck/spool"));
  }
}
